// Test fixture: deletes everything a lab slot may have left behind, found by the lab's own names and pidfiles, so that
// it works the same after a clean run, a failed test or a crash (SIGKILL) of the process that started the lab.
// Synchronous on purpose: it also runs from process 'exit' handlers.
import {execFileSync, spawnSync} from 'node:child_process';
import {existsSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {bridgeName, namespacePrefix, slotDirectory, vethPrefix} from './names.ts';

const killWaitMs = 5000;

function ip(...args: string[]): string {
	return execFileSync('ip', args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
}

function sleep(milliseconds: number): void {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, milliseconds);
}

export function labNamespaces(slot: number): string[] {
	return ip('netns', 'list')
		.split('\n')
		.map((line) => line.split(' ')[0] ?? '')
		.filter((name) => name.startsWith(namespacePrefix(slot)));
}

/** The bridge and the root-namespace ends of the veth pairs (those vanish with their namespace, unless it leaked). */
export function labLinks(slot: number): string[] {
	return ip('-o', 'link', 'show')
		.split('\n')
		.map((line) => /^\d+: ([^:@]+)/.exec(line)?.[1] ?? '')
		.filter((name) => name === bridgeName(slot) || name.startsWith(vethPrefix(slot)));
}

/** Mounts in the root namespace that belong to the slot: `ip netns add` bind mounts, anything under its directory. */
export function labMounts(slot: number): string[] {
	const directory = `${slotDirectory(slot)}/`;
	return readFileSync('/proc/self/mountinfo', 'utf8')
		.split('\n')
		.map((line) => line.split(' ')[4] ?? '')
		.filter((point) => point.startsWith(`/run/netns/${namespacePrefix(slot)}`) || point.startsWith(directory));
}

/** Every process in the slot's network namespaces, plus the hosts' init processes from their pidfiles. */
export function labProcesses(slot: number): number[] {
	const inNamespaces = labNamespaces(slot).flatMap((namespace) =>
		ip('netns', 'pids', namespace).split('\n').filter(Boolean).map(Number),
	);
	return [...new Set([...inNamespaces, ...pidsFromPidfiles(slot)])];
}

/**
The pidfiles catch a host whose namespace name is already gone. A pid is only trusted while its command line still
names the slot's directory: after a reboot or a long time the number may belong to another process.
*/
function pidsFromPidfiles(slot: number): number[] {
	const hostsDirectory = join(slotDirectory(slot), 'hosts');
	if (!existsSync(hostsDirectory)) return [];
	return readdirSync(hostsDirectory)
		.flatMap((host) => ['anchor.pid', 'init.pid'].map((file) => join(hostsDirectory, host, file)))
		.filter((file) => existsSync(file))
		.map((file) => Number(readFileSync(file, 'utf8')))
		.filter((pid) => commandLine(pid).includes(slotDirectory(slot)));
}

function commandLine(pid: number): string {
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
	} catch {
		return '';
	}
}

/** Alive and not a zombie. */
export function isRunning(pid: number): boolean {
	try {
		return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
	} catch {
		return false;
	}
}

/** Deletes the slot's processes, namespaces, links, mounts and directory; errors name what could not be deleted. */
export function cleanSlot(slot: number): void {
	// Killing a host's PID 1 makes the kernel kill every process of that host; the rest are killed one by one anyway.
	const pids = labProcesses(slot);
	for (const pid of pids) {
		try {
			process.kill(pid, 'SIGKILL');
		} catch {
			// Already gone.
		}
	}
	const deadline = Date.now() + killWaitMs;
	while (pids.some(isRunning)) {
		if (Date.now() > deadline) {
			throw new Error(`lab slot ${slot}: processes ${pids.filter(isRunning).join(', ')} survived SIGKILL`);
		}
		sleep(20);
	}
	for (const namespace of labNamespaces(slot)) ip('netns', 'delete', namespace);
	// A veth whose other end was in a deleted namespace goes away by itself, maybe only after it was listed.
	for (const link of labLinks(slot)) {
		try {
			ip('link', 'delete', link);
		} catch (error) {
			if (labLinks(slot).includes(link)) throw error;
		}
	}
	for (const point of labMounts(slot).reverse()) {
		const unmount = spawnSync('umount', ['--lazy', point], {encoding: 'utf8'});
		if (unmount.status !== 0) throw new Error(`lab slot ${slot}: cannot unmount ${point}: ${unmount.stderr}`);
	}
	rmSync(slotDirectory(slot), {recursive: true, force: true});
}
