// Test fixture: a lab host's sshd going away mid-run and coming back, for fault scenarios. The host keeps running
// (its PID 1 does not need sshd), so the test can still look inside it with lab.exec.
import {setTimeout as delay} from 'node:timers/promises';
import type {Lab, LabHost} from './lab.ts';

/** sshd's listener and each session's process (OpenSSH 9.8 and later name the latter sshd-session). */
const sshdCommands = new Set(['sshd', 'sshd-session']);

/**
Kills every sshd process of the host with SIGKILL, the listener and every session's, as when sshd crashes or the
host drops off the network: connections end at once and new ones are refused. Returns the pids it killed.
*/
export async function killSshd(lab: Lab, host: LabHost): Promise<number[]> {
	const {stdout} = await lab.exec(host, 'ps -eo pid=,comm=');
	const pids = stdout
		.split('\n')
		.map((line) => line.trim().split(/\s+/))
		.filter(([, command]) => sshdCommands.has(command ?? ''))
		.map(([pid]) => Number(pid));
	if (pids.length === 0) throw new Error(`${host.name} runs no sshd`);
	const killed = await lab.exec(host, `kill -KILL ${pids.join(' ')}`);
	if (killed.code !== 0) throw new Error(`killing sshd on ${host.name}: ${killed.stderr}`);
	return pids;
}

/** Starts the host's sshd again (as a daemon, with the configuration host-init.sh uses) and waits for a login. */
export async function startSshd(lab: Lab, host: LabHost, timeoutMs = 30_000): Promise<void> {
	const started = await lab.exec(host, '/usr/sbin/sshd -f /etc/ssh/sshd_config');
	if (started.code !== 0) throw new Error(`starting sshd on ${host.name}: ${started.stderr}`);
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const login = await lab.ssh(host, 'true');
		if (login.code === 0) return;
		if (Date.now() > deadline)
			throw new Error(`sshd on ${host.name} accepts no login ${timeoutMs} ms after its start: ${login.stderr}`);
		await delay(200);
	}
}
