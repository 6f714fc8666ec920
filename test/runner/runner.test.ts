import assert from 'node:assert/strict';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import type {HostFiles} from '../../source/render/types.ts';
import type {RunEvent} from '../../source/runner/events.ts';
import {Journal} from '../../source/runner/journal.ts';
import {type RunnerOptions, runSteps} from '../../source/runner/runner.ts';
import {CommandError} from '../../source/runner/shell.ts';
import {controlPlanes} from '../../source/spec/cluster.ts';
import type {Step} from '../../steps/types.ts';
import {FakeShell} from '../helpers/fake-shell.ts';
import {specOf} from '../helpers/spec.ts';

// three-control-planes: cp1, cp2, cp3 (control planes), worker1, worker2.
const spec = specOf();
const allNodes = (s: typeof spec) => s.nodes;

/** A step that runs `step <id>` on each of its hosts (the control planes unless told otherwise). */
const step = (id: string, overrides: Partial<Step> = {}): Step => ({
	id,
	title: `Step ${id}`,
	hosts: controlPlanes,
	parallel: true,
	run: async (ctx) => {
		await ctx.$`step ${id}`;
	},
	dryRun: ({host}) => [`would do ${id} on ${host.name}`],
	...overrides,
});

type Harness = Partial<RunnerOptions> & {steps: readonly Step[]};

async function run({steps, ...options}: Harness) {
	const shell = options.shell ?? new FakeShell().on('step ');
	const events: RunEvent[] = [];
	const summary = await runSteps({
		steps,
		spec,
		files: [],
		shell,
		redact: (text) => text,
		onEvent: (event) => events.push(event),
		...options,
	});
	return {summary, events, shell: shell as FakeShell};
}

const kinds = (events: RunEvent[], host?: string) =>
	events.filter((e) => host === undefined || !('host' in e) || e.host === host).map((e) => e.kind);
const hostEnds = (events: RunEvent[]) =>
	events.flatMap((e) => (e.kind === 'host-end' ? [{host: e.host, stepId: e.stepId, ...e.outcome}] : []));

describe('runSteps', () => {
	it('emits run, step and host events in order, with output lines inside their host', async () => {
		const shell = new FakeShell().on('step one', {stdout: 'hello\n', stderr: 'careful\n'});
		const {summary, events} = await run({steps: [step('one', {hosts: (s) => s.nodes.slice(0, 1)})], shell});
		assert.deepEqual(summary, {status: 'done', failures: []});
		assert.deepEqual(kinds(events), [
			'run-start',
			'step-start',
			'host-start',
			'line',
			'line',
			'host-end',
			'step-end',
			'run-end',
		]);
		const lines = events.flatMap((e) => (e.kind === 'line' ? [[e.host, e.stepId, e.stream, e.text]] : []));
		assert.deepEqual(lines, [
			['cp1', 'one', 'stdout', 'hello'],
			['cp1', 'one', 'stderr', 'careful'],
		]);
		assert.deepEqual(events[0], {
			kind: 'run-start',
			at: (events[0] as RunEvent).at,
			dryRun: false,
			steps: [{stepId: 'one', title: 'Step one', hosts: ['cp1']}],
		});
	});

	it('runs steps in order, the hosts of a serial step one after the other', async () => {
		const shell = new FakeShell().on('step ', {delayMs: 20});
		await run({steps: [step('first', {parallel: false}), step('second', {parallel: false})], shell});
		assert.deepEqual(
			shell.calls.map((call) => `${call.script} @${call.host}`),
			['first', 'second'].flatMap((id) => ['cp1', 'cp2', 'cp3'].map((host) => `step ${id} @${host}`)),
		);
		assert.equal(shell.peakConcurrency, 1);
		for (const [index, call] of shell.calls.entries()) {
			const next = shell.calls[index + 1];
			assert.ok(next === undefined || (call.endedAt ?? Infinity) <= next.startedAt, 'calls overlap');
		}
	});

	it('runs the hosts of a parallel step at the same time, and the next step after all of them', async () => {
		const shell = new FakeShell().on('step ', {delayMs: 50});
		await run({steps: [step('together'), step('after')], shell});
		assert.equal(shell.peakConcurrency, 3);
		const lastOfFirst = Math.max(...shell.calls.slice(0, 3).map((call) => call.endedAt ?? Infinity));
		assert.ok(shell.calls.slice(3).every((call) => call.startedAt >= lastOfFirst));
	});

	it('bounds parallel hosts by the runner limit and by the step', async () => {
		const slow = () => new FakeShell().on('step ', {delayMs: 30});
		const byRunner = await run({steps: [step('all', {hosts: allNodes})], shell: slow(), concurrency: 2});
		assert.equal(byRunner.shell.peakConcurrency, 2);
		assert.equal(byRunner.shell.calls.length, 5);
		const byStep = await run({steps: [step('three', {hosts: allNodes, parallel: 3})], shell: slow()});
		assert.equal(byStep.shell.peakConcurrency, 3);
		assert.equal(byStep.shell.calls.length, 5);
	});

	it('skips a host whose shouldRun gives a reason, and says why', async () => {
		const shell = new FakeShell().on('dpkg-query', {stdout: 'keepalived 1:2.2.7\n'}).on('step ');
		const install = step('install', {
			shouldRun: async (ctx) =>
				ctx.host.name === 'cp2' ? `already installed: ${(await ctx.$`dpkg-query -W keepalived`).stdout.trim()}` : true,
		});
		const {events} = await run({steps: [install], shell});
		assert.deepEqual(
			hostEnds(events)
				.map(({host, status, ...rest}) => [host, status, 'reason' in rest ? rest.reason : ''])
				.sort(),
			[
				['cp1', 'done', ''],
				['cp2', 'skipped', 'already installed: keepalived 1:2.2.7'],
				['cp3', 'done', ''],
			],
		);
		assert.deepEqual(
			shell.callsOn('cp2').map((call) => call.script),
			['dpkg-query -W keepalived'],
		);
	});

	it('stops after a failure: the step’s running hosts finish, no later step starts, the failure is reported', async () => {
		const shell = new FakeShell()
			.on('step b', {stdout: 'pulling images\n', stderr: 'E: disk full\n', exitCode: 2}, 'cp2')
			.on('step ', {delayMs: 30});
		const {summary, events} = await run({steps: [step('a'), step('b'), step('c')], shell});
		assert.equal(summary.status, 'failed');
		assert.deepEqual(summary.failures, [
			{
				status: 'failed',
				host: 'cp2',
				stepId: 'b',
				error: 'a command on cp2 exited with 2: E: disk full',
				exitCode: 2,
				lastLines: ['pulling images', 'E: disk full'],
			},
		]);
		assert.deepEqual(
			hostEnds(events)
				.filter((end) => end.stepId === 'b')
				.map((end) => `${end.host}:${end.status}`),
			['cp2:failed', 'cp1:done', 'cp3:done'],
		);
		assert.ok(!events.some((e) => e.kind === 'step-start' && e.stepId === 'c'));
		assert.deepEqual(events.at(-2), {...events.at(-2), kind: 'step-end', stepId: 'b', status: 'failed'});
		assert.deepEqual(events.at(-1), {...events.at(-1), kind: 'run-end', status: 'failed'});
	});

	it('starts no further host of a serial step after one failed', async () => {
		const shell = new FakeShell().on('step ', {exitCode: 1}, 'cp1').on('step ');
		const {summary} = await run({steps: [step('serial', {parallel: false})], shell});
		assert.equal(summary.status, 'failed');
		assert.deepEqual(
			shell.calls.map((call) => call.host),
			['cp1'],
		);
	});

	it('reports the exit code of a command error a step wrapped, and its own errors without one', async () => {
		const shell = new FakeShell().on('kubeadm', {exitCode: 3});
		const wrapping = step('wrap', {
			hosts: (s) => s.nodes.slice(0, 1),
			run: async (ctx) => {
				try {
					await ctx.$`kubeadm init`;
				} catch (error) {
					throw new Error('kubeadm init failed', {cause: error});
				}
			},
		});
		const wrapped = await run({steps: [wrapping], shell});
		assert.equal(wrapped.summary.failures[0]?.exitCode, 3);
		assert.equal(wrapped.summary.failures[0]?.error, 'kubeadm init failed');
		const own = await run({
			steps: [step('own', {run: () => Promise.reject(new Error('no VIP interface')), parallel: false})],
		});
		assert.deepEqual(own.summary.failures, [
			{status: 'failed', host: 'cp1', stepId: 'own', error: 'no VIP interface', lastLines: []},
		]);
	});

	it('refuses step ids that are not kebab-case or are used twice', async () => {
		await assert.rejects(run({steps: [step('Install_Keepalived')]}), /"Install_Keepalived" is not kebab-case/);
		await assert.rejects(run({steps: [step('a'), step('a')]}), /"a" is used twice/);
	});

	it('stamps events with the clock: at never goes back, durations add up', async () => {
		let clock = 1000;
		const {events} = await run({steps: [step('a'), step('b')], now: () => (clock += 5)});
		const stamps = events.map((e) => e.at);
		assert.deepEqual(
			stamps,
			[...stamps].sort((x, y) => x - y),
		);
		const end = events.at(-1);
		assert.ok(end?.kind === 'run-end');
		assert.equal(end.durationMs, end.at - (events[0]?.at ?? 0));
	});
});

describe('dry run', () => {
	it('describes every step on every host and runs no command, not even shouldRun', async () => {
		const shell = new FakeShell();
		let asked = 0;
		const checked = step('b', {
			shouldRun: async () => {
				asked++;
				return true;
			},
		});
		const {summary, events} = await run({steps: [step('a'), checked], shell, dryRun: true});
		assert.equal(summary.status, 'done');
		assert.equal(shell.calls.length, 0);
		assert.equal(asked, 0);
		const dry = events.flatMap((e) => (e.kind === 'dry' ? [`${e.stepId}@${e.host}: ${e.text}`] : []));
		assert.deepEqual(
			dry,
			['a', 'b'].flatMap((id) => ['cp1', 'cp2', 'cp3'].map((host) => `${id}@${host}: would do ${id} on ${host}`)),
		);
		assert.equal((events[0] as Extract<RunEvent, {kind: 'run-start'}>).dryRun, true);
	});
});

describe('redaction', () => {
	const secret = 'S3cr3tT0ken';
	const redact = (text: string) => text.replaceAll(secret, '<redacted>');

	it('redacts output lines, the step’s own lines, skip reasons and error messages before emitting', async () => {
		const shell = new FakeShell().on('step ', {stdout: `token is ${secret}\n`, stderr: `bad ${secret}\n`, exitCode: 1});
		const leaky = step('leaky', {
			hosts: (s) => s.nodes.slice(0, 2),
			shouldRun: async (ctx) => (ctx.host.name === 'cp2' ? `has ${secret} already` : true),
			run: async (ctx) => {
				ctx.emit(`joining with ${secret}`);
				await ctx.$`step leaky`;
			},
		});
		const {summary, events} = await run({steps: [leaky], shell, redact});
		const everything = JSON.stringify(events) + JSON.stringify(summary);
		assert.ok(!everything.includes(secret), everything);
		assert.deepEqual(
			events.flatMap((e) => (e.kind === 'line' ? [e.text] : [])),
			['joining with <redacted>', 'token is <redacted>', 'bad <redacted>'],
		);
		assert.equal(summary.failures[0]?.error, 'a command on cp1 exited with 1: bad <redacted>');
		assert.deepEqual(
			hostEnds(events).find((end) => end.host === 'cp2'),
			{
				host: 'cp2',
				stepId: 'leaky',
				status: 'skipped',
				reason: 'has <redacted> already',
			},
		);
	});

	it('redacts dry-run lines', async () => {
		const {events} = await run({
			steps: [step('dry', {dryRun: () => [`would write token ${secret}`]})],
			dryRun: true,
			redact,
		});
		assert.ok(!JSON.stringify(events).includes(secret));
	});
});

describe('with a journal', () => {
	let stateDirectory: string;
	before(async () => {
		stateDirectory = await mkdtemp(join(tmpdir(), 'kubeha-runner-'));
	});
	after(() => rm(stateDirectory, {recursive: true}));

	const files = (content: string): HostFiles[] => [
		{node: 'cp1', files: [{path: '/etc/kubeha/x.conf', content, mode: 0o644, secret: false}]},
	];
	const journalIn = (directory: string, resume: boolean) => Journal.open(join(stateDirectory, directory), {resume});
	const versionOnly = step('versioned', {dependsOn: ({spec: s}) => s.kubernetes.version});

	it('on abort ends the running commands, starts nothing new and has the journal written', async () => {
		const controller = new AbortController();
		const shell = new FakeShell().on('step quick').on('step slow', {delayMs: 10_000});
		const journal = await journalIn('abort', false);
		const started = performance.now();
		const slow = step('slow', {
			run: async (ctx) => {
				// Ctrl-C once all three hosts are inside their 10-second command.
				if (ctx.host.name === 'cp3') {
					setTimeout(() => controller.abort(new Error('Ctrl-C')), 200);
				}

				await ctx.$`step slow`;
			},
		});
		const {summary, events} = await run({
			steps: [step('quick'), slow, step('never')],
			shell,
			journal,
			signal: controller.signal,
		});
		assert.ok(performance.now() - started < 5000, 'the slow commands were not ended');
		assert.deepEqual(summary, {status: 'aborted', failures: []});
		assert.deepEqual(
			shell.calls.filter((call) => call.script === 'step slow').map((call) => call.aborted),
			[true, true, true],
		);
		assert.ok(!events.some((e) => e.kind === 'step-start' && e.stepId === 'never'));
		assert.deepEqual(
			hostEnds(events)
				.filter((end) => end.stepId === 'slow')
				.map((end) => end.status),
			['aborted', 'aborted', 'aborted'],
		);
		const written = JSON.parse(await readFile(journal.path, 'utf8'));
		assert.deepEqual(Object.keys(written.hosts).sort(), ['cp1', 'cp2', 'cp3']);
		assert.deepEqual(Object.keys(written.hosts.cp1), ['quick']);
	});

	it('resumes: skips what finished while its inputs are unchanged, redoes what they changed', async () => {
		const steps = [step('plain'), versionOnly];
		const first = await run({steps, files: files('a'), journal: await journalIn('resume', false)});
		assert.equal(first.shell.calls.length, 6);

		const again = await run({steps, files: files('a'), journal: await journalIn('resume', true)});
		assert.equal(again.shell.calls.length, 0);
		assert.ok(hostEnds(again.events).every((end) => end.status === 'skipped' && /earlier run/.test(end.reason)));

		// A file of cp1 changed: the step that depends on everything redoes cp1 only; the narrow one skips.
		const fileChanged = await run({steps, files: files('b'), journal: await journalIn('resume', true)});
		assert.deepEqual(
			fileChanged.shell.calls.map((call) => `${call.script}@${call.host}`),
			['step plain@cp1'],
		);

		// A new version changes the spec: both steps redo every host.
		const newer = specOf((draft) => {
			draft.kubernetes.version = '1.37.2';
		});
		const versionChanged = await run({
			steps,
			spec: newer,
			files: files('b'),
			journal: await journalIn('resume', true),
		});
		assert.equal(versionChanged.shell.calls.length, 6);
	});

	it('does not resume past a step that failed after an earlier success', async () => {
		const steps = [versionOnly];
		await run({steps, journal: await journalIn('failed', false)});
		const failing = new FakeShell().on('step ', {exitCode: 1});
		const newer = specOf((draft) => {
			draft.kubernetes.version = '1.37.2';
		});
		await run({steps, spec: newer, shell: failing, journal: await journalIn('failed', true)});
		// Back to the old spec: the journal no longer holds the old success for the hosts that failed.
		const resumed = await run({steps, journal: await journalIn('failed', true)});
		assert.deepEqual(
			resumed.shell.calls.map((call) => call.host),
			['cp1', 'cp2', 'cp3'],
		);
	});

	it('without resuming starts a new journal and runs everything', async () => {
		const steps = [step('plain')];
		await run({steps, journal: await journalIn('fresh', false)});
		const fresh = await run({steps, journal: await journalIn('fresh', false)});
		assert.equal(fresh.shell.calls.length, 3);
	});
});

describe('CommandError', () => {
	it('explains exit code 255 as ssh failing to connect', () => {
		const error = new CommandError('cp1', {stdout: '', stderr: 'Host key verification failed.\r\n', exitCode: 255});
		assert.match(error.message, /^a command on cp1 exited with 255: Host key verification failed\. 255 is what ssh/);
		assert.match(error.message, /ssh\.user, ssh\.port, ssh\.identityFile/);
	});
});
