// `kubeha apply` wall time on the lab for 3 and for 7 hosts, and where the time goes step by step. Steps work on
// their hosts in parallel, so 7 hosts should cost little more than 3. Uses the lab, a test fixture (test/lab/), as
// the only place the real binary can install a cluster on this machine: run as root, after `npm run build`.
import {existsSync} from 'node:fs';
import {loadavg} from 'node:os';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {repositoryRoot} from '../test/helpers/cli.ts';
import {labCluster, type RunEventLine, stackedClusterYaml} from '../test/lab/cluster.ts';
import {labAvailable, startLab} from '../test/lab/lab.ts';

/** The two installs compared: 3 control planes with co-located keepalived + haproxy, then the same plus 4 workers. */
const shapes = [
	{label: '3 hosts', controlPlanes: 3, workers: 0},
	{label: '7 hosts', controlPlanes: 3, workers: 4},
] as const;

type StepTime = {
	readonly stepId: string;
	/** step-start to step-end, as the runner stamped them. */
	readonly wallMs: number;
	readonly hosts: number;
	/** The host that took longest and its time: in a parallel step it sets the step's wall time. */
	readonly slowestHost: string;
	readonly slowestHostMs: number;
	/** Every host's time added up: close to the wall time when the hosts took turns. */
	readonly hostsSumMs: number;
};

type ApplyFigures = {
	readonly label: string;
	/** Spawn to exit of `kubeha apply`: start-up, loading the spec, ssh host keys and the run. */
	readonly processMs: number;
	/** run-start to run-end. */
	readonly runMs: number;
	readonly steps: readonly StepTime[];
};

function numberField(event: RunEventLine, field: string): number {
	const value = event[field];
	if (typeof value !== 'number') {
		throw new Error(`a ${event.kind} event has no number ${field}: ${JSON.stringify(event)}`);
	}

	return value;
}

function stringField(event: RunEventLine, field: string): string {
	const value = event[field];
	if (typeof value !== 'string') {
		throw new Error(`a ${event.kind} event has no text ${field}: ${JSON.stringify(event)}`);
	}

	return value;
}

/** Per step, from the `at` stamps of its step-start and step-end, and from the durations of its host-end events. */
function stepTimes(events: readonly RunEventLine[]): StepTime[] {
	const startedAt = new Map<string, number>();
	const hostTimes = new Map<string, Array<{host: string; ms: number}>>();
	const times: StepTime[] = [];
	for (const event of events) {
		if (event.kind === 'step-start') {
			startedAt.set(stringField(event, 'stepId'), numberField(event, 'at'));
		} else if (event.kind === 'host-end') {
			const stepId = stringField(event, 'stepId');
			const host = {host: stringField(event, 'host'), ms: numberField(event, 'durationMs')};
			hostTimes.set(stepId, [...(hostTimes.get(stepId) ?? []), host]);
		} else if (event.kind === 'step-end') {
			const stepId = stringField(event, 'stepId');
			const start = startedAt.get(stepId);
			if (start === undefined) throw new Error(`step-end of ${stepId} without its step-start`);
			const hosts = hostTimes.get(stepId) ?? [];
			const slowest = hosts.reduce((found, host) => (host.ms > found.ms ? host : found), {host: '-', ms: 0});
			times.push({
				stepId,
				wallMs: numberField(event, 'at') - start,
				hosts: hosts.length,
				slowestHost: slowest.host,
				slowestHostMs: slowest.ms,
				hostsSumMs: hosts.reduce((sum, host) => sum + host.ms, 0),
			});
		}
	}

	return times;
}

async function measureApply(shape: (typeof shapes)[number]): Promise<ApplyFigures> {
	const lab = await startLab({hosts: shape.controlPlanes + shape.workers});
	const cluster = await labCluster(lab, stackedClusterYaml(lab, shape));
	try {
		const started = performance.now();
		const events = await cluster.apply();
		const processMs = performance.now() - started;
		const runEnd = events.find((event) => event.kind === 'run-end');
		return {
			label: shape.label,
			processMs,
			runMs: runEnd ? numberField(runEnd, 'durationMs') : Number.NaN,
			steps: stepTimes(events),
		};
	} finally {
		await lab.stop();
		cluster.remove();
	}
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`.padStart(7);

/** Every step of the larger install, slowest first, beside the same step of the smaller one. */
function printSteps(small: ApplyFigures, large: ApplyFigures): void {
	const smallById = new Map(small.steps.map((step) => [step.stepId, step]));
	const width = Math.max(...large.steps.map((step) => step.stepId.length));
	console.log(
		`  per step, step-start to step-end, slowest first; of the ${large.label} install also the slowest host and the`,
	);
	console.log('  sum over its hosts (sum ≈ step: the hosts took turns; slowest ≈ step: they ran at once):');
	console.log(
		`    ${'step'.padEnd(width)}  ${small.label.padStart(7)}  ${large.label.padStart(7)}  hosts  slowest host   sum`,
	);
	for (const step of [...large.steps].sort((a, b) => b.wallMs - a.wallMs)) {
		const before = smallById.get(step.stepId);
		const slowest = `${step.slowestHost} ${seconds(step.slowestHostMs).trim()}`;
		console.log(
			`    ${step.stepId.padEnd(width)}  ${before ? seconds(before.wallMs) : '      -'}  ${seconds(step.wallMs)}  ${String(step.hosts).padStart(5)}  ${slowest.padEnd(13)} ${seconds(step.hostsSumMs)}`,
		);
	}
}

const loadAverage = () => loadavg()[0]?.toFixed(1) ?? '?';

export async function benchApplyWallTime(): Promise<void> {
	const availability = labAvailable({commands: ['keepalived', 'haproxy']});
	if (!availability.ok) {
		console.log(`apply wall time on the lab: skipped, ${availability.reason}`);
		return;
	}

	if (!existsSync(join(repositoryRoot, 'distribution/source/cli.js'))) {
		console.log('apply wall time on the lab: skipped, kubeha is not built: run `npm run build` first');
		return;
	}

	// One install each, one after the other: an install costs about a minute, and two labs at once would share
	// the machine's cores and blur both figures. The load average says how far other work blurred them anyway.
	const loadBefore = loadAverage();
	const runs: ApplyFigures[] = [];
	for (const shape of shapes) runs.push(await measureApply(shape));
	const [small, large] = runs;
	if (!small || !large) return;

	console.log(
		`kubeha apply on the lab (stacked etcd, keepalived + haproxy on the control planes), one run each, load average ${loadBefore} → ${loadAverage()}:`,
	);
	for (const run of runs) {
		console.log(
			`  ${run.label}: ${seconds(run.processMs)} the kubeha process, ${seconds(run.runMs)} run-start to run-end`,
		);
	}

	console.log(
		`  ${large.label} / ${small.label}: ${(large.processMs / small.processMs).toFixed(2)}× (goal: close to 1)`,
	);
	printSteps(small, large);
}
