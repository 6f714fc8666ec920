// Test fixture: which lab slot a new lab gets. A slot belongs to the process that claimed it while that process lives
// (or, for `lab.sh up`, until `lab.sh down`); a slot whose owner is gone is cleaned before it is used again.
import {spawn} from 'node:child_process';
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {cleanSlot} from './cleanup.ts';
import {labRoot, slotDirectory, slots} from './names.ts';

/**
Who holds a slot: a process (pid and start time, so that a reused pid does not count) or, for `lab.sh up`, nobody in
particular until `lab.sh down`. The token tells two labs of one process apart.
*/
export type Owner = {token: string; process: {pid: number; startTime: string} | 'persistent'};

const lockWaitSeconds = 120;
/** Labs started by this process and not stopped yet, by token: a slot of ours with another token was abandoned. */
const liveTokens = new Set<string>();

function ownerFile(slot: number): string {
	return join(slotDirectory(slot), 'owner.json');
}

function startTime(pid: number): string | undefined {
	try {
		// Field 22 of /proc/PID/stat, counted after the command name, which may contain spaces.
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(') ') + 2).split(' ')[19];
	} catch {
		return undefined;
	}
}

export function currentOwner(token: string, persistent: boolean): Owner {
	return {token, process: persistent ? 'persistent' : {pid: process.pid, startTime: startTime(process.pid) ?? ''}};
}

export function readOwner(slot: number): Owner | undefined {
	const file = ownerFile(slot);
	return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Owner) : undefined;
}

export function isLive(owner: Owner | undefined): boolean {
	if (owner === undefined) return false;
	if (owner.process === 'persistent') return true;
	if (owner.process.pid === process.pid) return liveTokens.has(owner.token);
	return startTime(owner.process.pid) === owner.process.startTime;
}

export function describeOwner(owner: Owner | undefined): string {
	if (owner === undefined) return 'nobody';
	if (owner.process === 'persistent') return '`lab.sh up` (delete it with `test/lab/lab.sh down`)';
	return `process ${owner.process.pid}`;
}

/**
Holds a lock on the lab directory while `work` runs, so that two test processes starting at once do not clean or
claim the same slot. flock(1) keeps the lock for as long as its stdin is open: if this process dies, it is released.
*/
async function withLabLock<T>(work: () => T): Promise<T> {
	mkdirSync(labRoot, {recursive: true});
	const holder = spawn(
		'flock',
		['--wait', String(lockWaitSeconds), join(labRoot, 'lock'), 'sh', '-c', 'echo locked; exec cat >/dev/null'],
		{stdio: ['pipe', 'pipe', 'inherit']},
	);
	const exited = new Promise<void>((resolve) => {
		holder.once('close', () => resolve());
	});
	const locked = await new Promise<boolean>((resolve) => {
		holder.stdout.once('data', () => resolve(true));
		holder.once('close', () => resolve(false));
	});
	try {
		if (!locked) throw new Error(`could not lock ${join(labRoot, 'lock')} within ${lockWaitSeconds} s`);
		return work();
	} finally {
		holder.stdin.end();
		await exited;
	}
}

/**
Cleans every slot whose owner is gone (the leftovers of crashed runs), then claims `requested` or the first free
slot for `owner`: one that held no crashed lab first, so that a test about to restart a crashed slot (explicitly)
does not find it taken by a test running beside it.
*/
export async function claimSlot(owner: Owner, requested?: number): Promise<number> {
	return withLabLock(() => {
		const crashed = slots.filter((slot) => readOwner(slot) !== undefined && !isLive(readOwner(slot)));
		for (const slot of slots) if (!isLive(readOwner(slot))) cleanSlot(slot);
		const candidates =
			requested === undefined
				? [...slots.filter((slot) => !crashed.includes(slot)), ...crashed]
				: slots.filter((slot) => slot === requested);
		const slot = candidates.find((candidate) => !isLive(readOwner(candidate)));
		if (slot === undefined) {
			const taken = candidates.map((candidate) => `slot ${candidate}: ${describeOwner(readOwner(candidate))}`);
			throw new Error(`no free lab slot (${taken.join('; ')}); stop a lab or wait for it to end`);
		}
		mkdirSync(slotDirectory(slot), {recursive: true});
		writeFileSync(ownerFile(slot), JSON.stringify(owner));
		liveTokens.add(owner.token);
		return slot;
	});
}

/** Cleans the slot if it still belongs to `token` (after a takeover it is somebody else's); false otherwise. */
export function releaseSlot(slot: number, token: string): boolean {
	liveTokens.delete(token);
	if (readOwner(slot)?.token !== token) return false;
	cleanSlot(slot);
	return true;
}

/** For `lab.sh down`: cleans the slots of `lab.sh up` and of crashed runs; labs of running processes stay. */
export async function cleanIdleSlots(): Promise<number[]> {
	return withLabLock(() =>
		slots.filter((slot) => {
			const owner = readOwner(slot);
			if (owner !== undefined && owner.process !== 'persistent' && isLive(owner)) return false;
			cleanSlot(slot);
			return owner !== undefined;
		}),
	);
}
