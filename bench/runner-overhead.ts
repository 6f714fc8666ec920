// Runs ten fake steps over 50 hosts through runSteps with a FakeShell, and prints the wall time, the time spent in
// (fake) commands and the runner's own time per host-step (median of several runs).
import {performance} from 'node:perf_hooks';
import {readTemplates} from '../source/io/templates.ts';
import {renderCluster} from '../source/render/index.ts';
import {redactor} from '../source/runner/redact.ts';
import {runSteps} from '../source/runner/runner.ts';
import {generateSecrets} from '../source/secrets/generate.ts';
import {type ClusterSpec, controlPlanes, loadBalancerNodes, workers} from '../source/spec/cluster.ts';
import type {NodeSpec} from '../source/spec/schema.ts';
import type {Step} from '../steps/types.ts';
import {FakeShell} from '../test/helpers/fake-shell.ts';
import {specOf} from '../test/helpers/spec.ts';
import {median} from './stats.ts';

const hostCount = 50;
const concurrency = 10;

/** Timing modes: commands answered at once (the runner's cost stands out), and commands that take a while (scheduling). */
const modes = [
	{label: 'instant commands', delayMs: 0, runs: 7},
	{label: '20 ms per command', delayMs: 20, runs: 3},
] as const;

/** three-control-planes (cp1–cp3 with keepalived + haproxy) with workers added up to hostCount nodes. */
const fleetSpec = (): ClusterSpec =>
	specOf((draft) => {
		const added = Array.from({length: hostCount - draft.nodes.length}, (_, index) => ({
			name: `bench-worker${index + 1}`,
			address: `192.168.1.${150 + index}`,
			roles: ['worker' as const],
		}));
		draft.nodes.push(...added);
	});

/**
A step shaped like the real ones: shouldRun checks with one command, run applies and verifies with two more and
reports a line of its own.
*/
const fakeStep = (id: string, hosts: (spec: ClusterSpec) => readonly NodeSpec[], parallel: Step['parallel']): Step => ({
	id,
	title: `Fake ${id}`,
	hosts,
	parallel,
	async shouldRun(ctx) {
		await ctx.$`fake ${id} check`;
		return true;
	},
	async run(ctx) {
		await ctx.$`fake ${id} apply`;
		await ctx.$`fake ${id} verify`;
		ctx.emit(`${id} done on ${ctx.host.name}`);
	},
	dryRun: ({host}) => [`fake ${id} on ${host.name}`],
});

const everyNode = (spec: ClusterSpec) => spec.nodes;

/** The install's shape: mostly parallel over every node, one serial step (control-plane joins), one bounded. */
const fakeSteps: readonly Step[] = [
	fakeStep('gather-facts', everyNode, true),
	fakeStep('preflight', everyNode, true),
	fakeStep('prerequisites', everyNode, true),
	fakeStep('container-runtime', everyNode, true),
	fakeStep('load-balancer', loadBalancerNodes, true),
	fakeStep('kubeadm-init', (spec) => controlPlanes(spec).slice(0, 1), true),
	fakeStep('join-control-planes', (spec) => controlPlanes(spec).slice(1), false),
	fakeStep('join-workers', workers, 5),
	fakeStep('kubelet-config', everyNode, true),
	fakeStep('verify', everyNode, true),
];

type RunFigures = {
	readonly wallMs: number;
	/** Summed over every command, as if they had run one after another. */
	readonly commandMs: number;
	/** Event-loop busy time (runner, fake steps, fake shell) per host-step. */
	readonly overheadUs: number;
	readonly commands: number;
};

/**
The runner's own cost is the time the event loop was busy during the run: while a fake command "runs" the loop
sits idle in a timer, so idle time is command time and busy time is what the runner (plus the tiny fake steps and
fake shell) spent. Subtracting command time from wall time would not work: parallel hosts overlap.
*/
async function measureRun(options: Pick<Parameters<typeof runSteps>[0], 'spec' | 'files' | 'redact'>, delayMs: number) {
	const shell = new FakeShell().on(/^fake /, {stdout: 'ok\n', delayMs});
	let hostSteps = 0;
	const loopBefore = performance.eventLoopUtilization();
	const started = performance.now();
	const summary = await runSteps({
		...options,
		steps: fakeSteps,
		shell,
		concurrency,
		onEvent(event) {
			if (event.kind === 'host-end') {
				hostSteps++;
			}
		},
	});
	const wallMs = performance.now() - started;
	const {active} = performance.eventLoopUtilization(loopBefore);
	if (summary.status !== 'done') {
		throw new Error(`the benchmark run ended ${summary.status}: ${JSON.stringify(summary.failures.slice(0, 3))}`);
	}

	const commandMs = shell.calls.reduce((sum, call) => sum + (call.endedAt ?? call.startedAt) - call.startedAt, 0);
	return {wallMs, commandMs, overheadUs: (active * 1000) / hostSteps, commands: shell.calls.length};
}

const medianOf = (runs: readonly RunFigures[], figure: keyof RunFigures) => median(runs.map((run) => run[figure]));

const limitOf = (step: Step) =>
	step.parallel === true ? concurrency : step.parallel === false ? 1 : Math.min(step.parallel, concurrency);

/** The wall time if the runner cost nothing: each step's hosts in waves of its limit, a host's commands back to back. */
const idealWallMs = (spec: ClusterSpec, commandMs: number, commandsPerHostStep: number) =>
	fakeSteps.reduce(
		(sum, step) => sum + Math.ceil(step.hosts(spec).length / limitOf(step)) * commandsPerHostStep * commandMs,
		0,
	);

export async function benchRunnerOverhead(): Promise<void> {
	const spec = fleetSpec();
	const secrets = await generateSecrets(spec);
	// Real rendered files: the runner hashes them for every host-step.
	const files = renderCluster(spec, secrets, await readTemplates());
	const options = {spec, files, redact: redactor(secrets)};
	const hostSteps = fakeSteps.reduce((sum, step) => sum + step.hosts(spec).length, 0);
	console.log(
		`runner overhead: ${fakeSteps.length} fake steps on ${spec.nodes.length} hosts (${hostSteps} host-steps), concurrency ${concurrency}:`,
	);
	for (const mode of modes) {
		const runs: RunFigures[] = [];
		for (let run = 0; run < mode.runs; run++) {
			runs.push(await measureRun(options, mode.delayMs));
		}

		const wallMs = medianOf(runs, 'wallMs');
		const commandMs = medianOf(runs, 'commandMs');
		const commandsPerHostStep = medianOf(runs, 'commands') / hostSteps;
		console.log(`  ${mode.label}, ${commandsPerHostStep} per host-step (median of ${runs.length} runs):`);
		console.log(`    wall time:                   ${wallMs.toFixed(1)} ms`);
		if (mode.delayMs > 0) {
			const ideal = idealWallMs(spec, mode.delayMs, commandsPerHostStep);
			console.log(`    ideal at these limits:       ${ideal.toFixed(1)} ms (commands only, zero runner cost)`);
		}

		console.log(
			`    in commands, summed:         ${commandMs.toFixed(1)} ms (${(commandMs / wallMs).toFixed(1)}× the wall time)`,
		);
		console.log(`    runner's own, per host-step: ${medianOf(runs, 'overheadUs').toFixed(0)} µs (event loop busy)`);
	}

	console.log('  (an "instant" fake command still waits one timer tick, about 1 ms)');
}
