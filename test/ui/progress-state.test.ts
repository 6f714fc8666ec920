import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {RunEvent} from '../../source/runner/events.ts';
import {hostSummaries} from '../../source/ui/progress/host-summary.ts';
import {
	initialProgressState,
	type ProgressState,
	progressReducer,
	reduceEvents,
	screenLine,
} from '../../source/ui/progress/progress-state.ts';
import {recorded} from '../fixtures/events/replay.ts';

const plan = [
	{stepId: 'install', title: 'Install packages', hosts: ['cp1', 'cp2']},
	{stepId: 'join', title: 'Join', hosts: ['cp2', 'worker1']},
];
const runStart: RunEvent = {kind: 'run-start', at: 1000, dryRun: false, steps: plan};
const installStart: RunEvent = {
	kind: 'step-start',
	at: 1100,
	stepId: 'install',
	title: 'Install packages',
	hosts: ['cp1', 'cp2'],
};
type EventOf<K extends RunEvent['kind']> = Extract<RunEvent, {kind: K}>;

const hostStart = (host: string, at = 1200): EventOf<'host-start'> => ({
	kind: 'host-start',
	at,
	stepId: 'install',
	host,
});
const line = (host: string, text: string, stream: 'stdout' | 'stderr' | 'step' = 'stdout'): EventOf<'line'> => ({
	kind: 'line',
	at: 1300,
	stepId: 'install',
	host,
	stream,
	text,
});
const hostEnd = (host: string, outcome: EventOf<'host-end'>['outcome']): EventOf<'host-end'> => ({
	kind: 'host-end',
	at: 1400,
	stepId: 'install',
	host,
	durationMs: 200,
	outcome,
});

const fold = (...events: RunEvent[]): ProgressState => reduceEvents(initialProgressState, events);

describe('progressReducer', () => {
	test('run-start keeps the plan and whether it is a dry run, forgetting any earlier run', () => {
		const earlier = fold(runStart, installStart, hostStart('cp1'));
		const state = progressReducer(earlier, {...runStart, dryRun: true});
		assert.deepEqual(state, {plan, dryRun: true, finished: []});
	});

	test('step-start lists the step’s hosts as waiting', () => {
		assert.deepEqual(fold(runStart, installStart).running, {
			stepId: 'install',
			title: 'Install packages',
			startedAt: 1100,
			hosts: [
				{host: 'cp1', status: 'waiting'},
				{host: 'cp2', status: 'waiting'},
			],
			described: [],
		});
	});

	test('host-start marks the host running from the event’s time, with no output yet', () => {
		const hosts = fold(runStart, installStart, hostStart('cp2', 1234)).running?.hosts;
		assert.deepEqual(hosts, [
			{host: 'cp1', status: 'waiting'},
			{host: 'cp2', status: 'running', startedAt: 1234, lines: []},
		]);
	});

	test('line keeps the host’s last five lines, newest last, with their stream', () => {
		const lines = Array.from({length: 8}, (_, index) => line('cp1', `line ${index}`));
		const state = fold(runStart, installStart, hostStart('cp1'), ...lines, line('cp1', 'careful', 'stderr'));
		const [cp1] = state.running?.hosts ?? [];
		assert.deepEqual(cp1?.status === 'running' && cp1.lines, [
			{stream: 'stdout', text: 'line 4'},
			{stream: 'stdout', text: 'line 5'},
			{stream: 'stdout', text: 'line 6'},
			{stream: 'stdout', text: 'line 7'},
			{stream: 'stderr', text: 'careful'},
		]);
	});

	test('line is made one plain screen line: no colours, no carriage-return overwrites, no tabs', () => {
		const state = fold(
			runStart,
			installStart,
			hostStart('cp1'),
			line('cp1', 'Progress 10%\rProgress 99%\t\u001B[31mok\u001B[0m'),
		);
		const [cp1] = state.running?.hosts ?? [];
		assert.deepEqual(cp1?.status === 'running' && cp1.lines, [{stream: 'stdout', text: 'Progress 99%  ok'}]);
		assert.equal(screenLine('\u001B[2K\u001B[1Gdone'), 'done');
	});

	test('dry collects what the step would do, per host, in order', () => {
		const dry = (host: string, text: string): RunEvent => ({kind: 'dry', at: 1300, stepId: 'install', host, text});
		const state = fold(
			runStart,
			installStart,
			dry('cp1', 'would install kubeadm'),
			dry('cp2', 'would install kubeadm'),
		);
		assert.deepEqual(state.running?.described, [
			{host: 'cp1', text: 'would install kubeadm'},
			{host: 'cp2', text: 'would install kubeadm'},
		]);
	});

	test('host-end replaces the running host with its outcome and duration', () => {
		const outcome = {status: 'skipped', reason: 'already installed'} as const;
		const state = fold(runStart, installStart, hostStart('cp1'), line('cp1', 'x'), hostEnd('cp1', outcome));
		assert.deepEqual(state.running?.hosts[0], {host: 'cp1', status: 'ended', durationMs: 200, outcome});
	});

	test('step-end moves the step to the finished ones; hosts that never started have no outcome', () => {
		const failed = {status: 'failed', error: 'exited with 2', exitCode: 2, lastLines: ['E: disk full']} as const;
		const state = fold(runStart, installStart, hostStart('cp1'), hostEnd('cp1', failed), {
			kind: 'step-end',
			at: 1500,
			stepId: 'install',
			durationMs: 400,
			status: 'failed',
		});
		assert.equal(state.running, undefined);
		assert.deepEqual(state.finished, [
			{
				stepId: 'install',
				title: 'Install packages',
				status: 'failed',
				durationMs: 400,
				described: [],
				hosts: [{host: 'cp1', outcome: failed, durationMs: 200}, {host: 'cp2'}],
			},
		]);
	});

	test('run-end records how the run ended', () => {
		const failures = [{status: 'failed', error: 'boom', lastLines: [], host: 'cp1', stepId: 'install'}] as const;
		const state = fold(runStart, installStart, {
			kind: 'run-end',
			at: 2000,
			durationMs: 1000,
			status: 'failed',
			failures,
		});
		assert.deepEqual(state.end, {status: 'failed', durationMs: 1000, failures});
		assert.equal(state.running, undefined);
	});

	test('events of another step or of a host outside the step change nothing', () => {
		const state = fold(runStart, installStart, hostStart('cp1'));
		for (const event of [
			{...hostStart('worker1')},
			{...line('cp1', 'stray'), stepId: 'join'},
			{...hostEnd('cp1', {status: 'done'}), stepId: 'join'},
			{kind: 'step-end', at: 1500, stepId: 'join', durationMs: 1, status: 'done'},
			{kind: 'dry', at: 1500, stepId: 'join', host: 'cp1', text: 'would'},
		] satisfies RunEvent[]) {
			assert.equal(progressReducer(state, event), state, event.kind);
		}
	});

	test('a line for a host that has not started is dropped', () => {
		const state = fold(runStart, installStart);
		assert.deepEqual(progressReducer(state, line('cp1', 'early')), state);
	});

	test('a recorded run folds into seven finished steps and its end', () => {
		const state = reduceEvents(initialProgressState, recorded('done'));
		assert.deepEqual(
			state.finished.map((step) => [step.stepId, step.status]),
			state.plan.map((step) => [step.stepId, 'done']),
		);
		assert.equal(state.finished.length, 7);
		assert.equal(state.end?.status, 'done');
	});
});

describe('hostSummaries', () => {
	test('counts each host’s steps by how they ended, in the order the plan names the hosts', () => {
		assert.deepEqual(hostSummaries(reduceEvents(initialProgressState, recorded('done'))), [
			{host: 'cp1', done: 4, skipped: 1, notReached: 0},
			{host: 'cp2', done: 4, skipped: 1, notReached: 0},
			{host: 'cp3', done: 4, skipped: 1, notReached: 0},
			{host: 'worker1', done: 3, skipped: 1, notReached: 0},
			{host: 'worker2', done: 2, skipped: 2, notReached: 0},
		]);
	});

	test('names the step a host failed or stopped in, and counts the steps the run did not reach', () => {
		const failed = hostSummaries(reduceEvents(initialProgressState, recorded('failed')));
		assert.deepEqual(failed.slice(1, 3), [
			{host: 'cp2', done: 3, skipped: 1, notReached: 0, failedAt: 'Join the other control planes'},
			{host: 'cp3', done: 3, skipped: 1, notReached: 1},
		]);
		const aborted = hostSummaries(reduceEvents(initialProgressState, recorded('aborted')));
		assert.deepEqual(aborted.slice(0, 3), [
			{host: 'cp1', done: 1, skipped: 1, notReached: 2, stoppedAt: 'Install kubeadm, kubelet and kubectl'},
			{host: 'cp2', done: 1, skipped: 1, notReached: 2, stoppedAt: 'Install kubeadm, kubelet and kubectl'},
			{host: 'cp3', done: 1, skipped: 1, notReached: 3},
		]);
	});
});
