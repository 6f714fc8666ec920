import assert from 'node:assert/strict';
import {mkdtemp, readFile, rm, stat} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import type {RunEvent} from '../../source/runner/events.ts';
import {formatLogEvent, openLogFile} from '../../source/runner/log-file.ts';

const redact = (text: string) => text.replaceAll('hunter2', '<redacted>');
const at = Date.parse('2026-01-02T03:04:05.678Z');

describe('log file', () => {
	let directory: string;
	before(async () => {
		directory = await mkdtemp(join(tmpdir(), 'kubeha-log-'));
	});
	after(() => rm(directory, {recursive: true}));

	it('appends timestamped, redacted lines to run-<start>.log with mode 0600', async () => {
		const log = await openLogFile(join(directory, 'logs'), new Date(at), redact);
		const events: RunEvent[] = [
			{kind: 'run-start', at, dryRun: false, steps: [{stepId: 'join', title: 'Join', hosts: ['cp2']}]},
			{kind: 'line', at: at + 1000, stepId: 'join', host: 'cp2', stream: 'stderr', text: 'password hunter2'},
			{
				kind: 'host-end',
				at: at + 2000,
				stepId: 'join',
				host: 'cp2',
				durationMs: 2000,
				outcome: {status: 'failed', error: 'exit 1: hunter2', exitCode: 1, lastLines: []},
			},
			{
				kind: 'run-end',
				at: at + 2500,
				durationMs: 2500,
				status: 'failed',
				failures: [
					{status: 'failed', host: 'cp2', stepId: 'join', error: 'exit 1: hunter2', exitCode: 1, lastLines: []},
				],
			},
		];
		for (const event of events) {
			log.onEvent(event);
		}

		await log.close();
		assert.equal(log.path, join(directory, 'logs', 'run-2026-01-02T03-04-05.678Z.log'));
		assert.equal((await stat(log.path)).mode & 0o777, 0o600);
		assert.equal(
			await readFile(log.path, 'utf8'),
			[
				'2026-01-02T03:04:05.678Z run started: join',
				'2026-01-02T03:04:06.678Z [cp2] join stderr| password <redacted>',
				'2026-01-02T03:04:07.678Z [cp2] join failed (exit code 1): exit 1: <redacted> in 2.0 s',
				'2026-01-02T03:04:08.178Z run failed in 2.5 s',
				'2026-01-02T03:04:08.178Z   [cp2] join: exit 1: <redacted>',
				'',
			].join('\n'),
		);
	});

	it('formats skips, dry lines and steps', () => {
		const text = (event: RunEvent) => formatLogEvent(event, redact).slice(25);
		assert.equal(
			text({kind: 'step-start', at, stepId: 'install', title: 'Install haproxy', hosts: ['cp1', 'cp2']}),
			'step install (Install haproxy) on cp1, cp2\n',
		);
		assert.equal(
			text({kind: 'dry', at, stepId: 'install', host: 'cp1', text: 'apt-get install haproxy'}),
			'[cp1] install would: apt-get install haproxy\n',
		);
		assert.equal(
			text({
				kind: 'host-end',
				at,
				stepId: 'install',
				host: 'cp1',
				durationMs: 100,
				outcome: {status: 'skipped', reason: 'haproxy 2.6 installed'},
			}),
			'[cp1] install skipped: haproxy 2.6 installed in 0.1 s\n',
		);
		assert.equal(
			text({kind: 'step-end', at, stepId: 'install', durationMs: 1234, status: 'done'}),
			'step install done in 1.2 s\n',
		);
	});
});
