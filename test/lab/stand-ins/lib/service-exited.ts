// Test fixture for the lab's systemctl stand-in: what systemd does when a service's main process ends by itself
// (systemd.service(5) Restart=, RestartSec=; systemd.kill(5) KillMode=). supervise.sh execs this once the main
// process is gone, so it runs as the unit's supervisor, the leader of the process group standing in for the cgroup.
// Usage (by supervise.sh only): service-exited.ts UNIT
import {existsSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync} from 'node:fs';
import {runStandIn} from './not-modelled.ts';
import {cleanExit, files, isAlive, readNumber, signal, sleep, start, status, stopWaitMs, waitFor} from './service.ts';
import type {Service} from './unit-file.ts';
import {lookupUnit} from './units.ts';

/** The rest of the unit's processes: the process group's members but this supervisor. */
function leftovers(group: number): number[] {
	const pids: number[] = [];
	for (const entry of readdirSync('/proc')) {
		const pid = Number(entry);
		if (!Number.isInteger(pid) || pid === process.pid) continue;
		try {
			// Field 5 of /proc/PID/stat is the process group; the command name before it may hold spaces.
			const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
				.replace(/^.*\) /, '')
				.split(' ');
			if (Number(fields[2]) === group && isAlive(pid)) pids.push(pid);
		} catch {
			// Gone meanwhile.
		}
	}
	return pids;
}

/**
A main process that ends takes the unit down: systemd then kills what is left of the cgroup as a stop would
(control-group: SIGTERM to all, SIGKILL after the stop time-out; mixed: SIGKILL to the rest, the SIGTERM was the
main process's; process: nothing).
*/
function killLeftovers(service: Service, group: number): void {
	if (service.killMode === 'process') return;
	if (service.killMode === 'control-group') {
		for (const pid of leftovers(group)) signal(pid, 'SIGTERM');
		waitFor(() => leftovers(group).length === 0, stopWaitMs);
	}
	for (const pid of leftovers(group)) signal(pid, 'SIGKILL');
}

/** The table of systemd.service(5) "Exit causes and the effect of the Restart= settings" (no watchdog, no time-outs here). */
function restarts(service: Service, exitStatus: number): boolean {
	const clean = cleanExit(service, exitStatus);
	// supervise.sh's `$?` is 128 + the signal's number for a process a signal ended.
	const bySignal = exitStatus > 128;
	switch (service.restart) {
		case 'always':
			return true;
		case 'on-success':
			return clean;
		case 'on-failure':
			return !clean;
		case 'on-abnormal':
		case 'on-abort':
			return !clean && bySignal;
		case 'on-watchdog':
		case 'no':
			return false;
	}
}

function mainExited(name: string): void {
	const paths = files(name);
	// Present while `systemctl stop` runs: that stop, not this, ends the unit.
	const stopping = () => existsSync(paths.stopping);
	const lookup = lookupUnit(name);
	if (lookup.kind !== 'found' || stopping()) return;
	const {unit} = lookup;
	const {service} = unit;
	const exitStatus = readNumber(paths.exitStatus) ?? 1;
	const restart = restarts(service, exitStatus);
	if (restart) writeFileSync(paths.autoRestart, '');
	// A stop's SIGTERM to the group must not end the supervisor half-way (a stop SIGKILLs it when it is done).
	process.on('SIGTERM', () => undefined);
	killLeftovers(service, process.pid);
	if (!restart) return;
	writeSync(
		1,
		`--- main process exited with status ${exitStatus}; Restart=${service.restart}: restarting in ${service.restartMs} ms\n`,
	);
	sleep(service.restartMs);
	try {
		if (stopping() || status(service).state === 'active') return;
		start(unit);
	} finally {
		rmSync(paths.autoRestart, {force: true});
	}
}

runStandIn('systemctl', () => {
	mainExited(process.argv[2] ?? '');
	return 0;
});
