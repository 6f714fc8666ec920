import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {createInterface} from 'node:readline';
import {test} from 'node:test';
import {isRunning, labLinks, labMounts, labNamespaces, labProcesses} from './cleanup.ts';
import {labAvailable, startLab} from './lab.ts';

const availability = labAvailable();

/** Starts a 2-host lab in a child process, then kills that process with SIGKILL: no exit handler can run. */
async function crashWhileLabIsUp(): Promise<number> {
	const labModule = JSON.stringify(join(import.meta.dirname, 'lab.ts'));
	const child = spawn(
		process.execPath,
		[
			'--input-type=module',
			'--eval',
			`const {startLab} = await import(${labModule}); const lab = await startLab({hosts: 2}); console.log(lab.slot); setInterval(() => {}, 1000);`,
		],
		{stdio: ['ignore', 'pipe', 'inherit']},
	);
	const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
	const [line] = (await once(createInterface({input: child.stdout}), 'line')) as [string];
	clearTimeout(timer);
	child.kill('SIGKILL');
	await once(child, 'exit');
	return Number(line);
}

test("a crashed lab's leftovers are cleaned by the next start", {
	skip: availability.ok ? false : availability.reason,
	timeout: 60_000,
}, async () => {
	const slot = await crashWhileLabIsUp();
	const leftovers = labProcesses(slot);
	assert.ok(
		leftovers.filter(isRunning).length >= 2,
		`the crashed lab's hosts should still run: ${leftovers.join(', ')}`,
	);
	assert.equal(labNamespaces(slot).length, 2);

	const lab = await startLab({hosts: 2, slot});
	try {
		assert.deepEqual(leftovers.filter(isRunning), []);
		for (const host of lab.hosts) {
			const hostname = await lab.ssh(host, 'hostname', {timeoutMs: 20_000});
			assert.deepEqual([hostname.code, hostname.stdout], [0, `${host.name}\n`]);
		}
	} finally {
		await lab.stop();
	}
	assert.deepEqual([labNamespaces(slot), labLinks(slot), labMounts(slot)], [[], [], []]);
	assert.equal(existsSync(lab.directory), false);
});
