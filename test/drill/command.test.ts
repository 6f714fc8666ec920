// `kubeha drill` against a simulated cluster: a Shell that keeps the VIP holder and the state of haproxy per node,
// answers the drill's scripts from that state and moves the VIP as keepalived would, and a probe that fails while
// the holder's haproxy is down. Timings are shrunk so that a round takes a second.
import assert from 'node:assert/strict';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {describe, it} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import {type DrillDependencies, drillCommand} from '../../source/commands/drill.ts';
import type {DrillReport} from '../../source/drill/report.ts';
import type {DrillTimings} from '../../source/drill/round.ts';
import {UserError} from '../../source/io/user-error.ts';
import type {CommandOptions, CommandResult, Shell, ShellHost} from '../../source/runner/shell.ts';
import {collect, workspace} from '../helpers/command-world.ts';
import type {ExampleName} from '../helpers/spec.ts';

const timings: DrillTimings = {
	probeIntervalMs: 20,
	probeTimeoutMs: 200,
	baselineMs: 100,
	failoverDeadlineMs: 3000,
	steadyMs: 200,
	settleMs: 300,
	downDeadlineMs: 1000,
	restoreDeadlineMs: 3000,
	pollMs: 20,
};

/** A cluster.yaml (an example) with the fixed test secrets beside it. */
const specIn = (example?: ExampleName): string => join(workspace(example), 'cluster.yaml');

const ok = (stdout = ''): CommandResult => ({stdout, stderr: '', exitCode: 0});

/**
cp1..cp3 with keepalived + haproxy. When haproxy stops on the holder, the next node by priority takes the VIP
`failoverMs` later (never, for Infinity); when it starts again, the VIP comes back as keepalived pre-empts.
*/
class SimulatedCluster implements Shell {
	readonly commands: string[] = [];
	holder = 'cp1';
	readonly haproxy = new Map([
		['cp1', true],
		['cp2', true],
		['cp3', true],
	]);

	private readonly failoverMs: number;

	constructor(failoverMs = 150) {
		this.failoverMs = failoverMs;
	}

	async run(host: ShellHost, script: string, options: CommandOptions = {}): Promise<CommandResult> {
		if (script.includes('kubeha_end=')) {
			return this.watch(host, script, options);
		}

		if (script.includes('show stat')) {
			const backends = ['cp1', 'cp2', 'cp3'].map((server) => `backend ${server} UP`);
			const vip = this.holder === host.name ? 'vip held' : 'vip free';
			const haproxy = this.haproxy.get(host.name) ? ['haproxy answered', ...backends] : ['haproxy silent'];
			return ok([vip, 'keepalived running', ...haproxy].join('\n'));
		}

		if (script.includes('for kubeha_file in')) {
			return ok();
		}

		if (script.includes('ss -Htln')) {
			return {...ok(), exitCode: this.haproxy.get(host.name) ? 0 : 1};
		}

		this.commands.push(`${host.name}: ${script}`);
		if (script === 'systemctl stop haproxy') {
			this.haproxy.set(host.name, false);
			if (Number.isFinite(this.failoverMs)) {
				setTimeout(() => {
					this.holder = 'cp2';
				}, this.failoverMs);
			}

			return ok();
		}

		if (script === 'systemctl start haproxy') {
			this.haproxy.set(host.name, true);
			setTimeout(() => {
				this.holder = 'cp1';
			}, this.failoverMs);
			return ok();
		}

		throw new Error(`the simulated cluster does not know this script on ${host.name}:\n${script}`);
	}

	/** The VIP watch: a line every 20 ms, with the node's clock, whether it holds the VIP, and its haproxy. */
	private async watch(host: ShellHost, script: string, {onLine, signal}: CommandOptions): Promise<CommandResult> {
		const piece = script.includes('ss -Htln');
		while (!signal?.aborted) {
			const vip = this.holder === host.name ? 'held' : 'free';
			const up = piece ? (this.haproxy.get(host.name) ? ' up' : ' down') : '';
			onLine?.(`${(performance.timeOrigin + performance.now()) / 1000} ${vip}${up}`, 'stdout');
			await sleep(20, undefined, {signal}).catch(() => undefined);
		}

		throw signal.reason;
	}

	async close(): Promise<void> {
		// Nothing to close.
	}
}

function dependencies(cluster: SimulatedCluster, overrides: Partial<DrillDependencies> = {}): DrillDependencies {
	return {
		statusProblems: async () => [],
		interactive: false,
		confirm: () => Promise.reject(new Error('the test did not expect a question')),
		openShell: async () => cluster,
		confirmHostKeys: async () => false,
		onInterrupt: () => () => undefined,
		now: () => performance.now(),
		// A client of the VIP gets an answer while the holder's haproxy runs.
		probe: async () => (cluster.haproxy.get(cluster.holder) ? {ok: true} : {ok: false, error: 'ECONNREFUSED'}),
		timings,
		...overrides,
	};
}

const refusal =
	(pattern: RegExp, exitCode = 2) =>
	(error: unknown) =>
		error instanceof UserError && error.exitCode === exitCode && pattern.test(error.message);

describe('kubeha drill', () => {
	it('measures a haproxy failover and puts haproxy back', async () => {
		const cluster = new SimulatedCluster();
		const output = collect();
		const code = await drillCommand(
			{config: specIn(), fault: 'haproxy', yes: true, output: 'json'},
			output,
			dependencies(cluster),
		);
		assert.equal(code, 0, output.errors.join('\n'));
		const report = JSON.parse(output.lines.join('\n')) as DrillReport;
		const [round] = report.rounds;
		assert.equal(round?.node, 'cp1');
		assert.equal(round?.failover.newHolder, 'cp2');
		assert.ok((round?.failover.failedRequests ?? 0) > 0, 'requests failed until cp2 took the VIP');
		assert.ok(
			(round?.failover.apiBackAfterMs ?? 0) >= 100,
			`back after the VIP moved: ${round?.failover.apiBackAfterMs}`,
		);
		assert.deepEqual(round?.problems, []);
		assert.deepEqual(cluster.commands, ['cp1: systemctl stop haproxy', 'cp1: systemctl start haproxy']);
		assert.equal(cluster.holder, 'cp1', 'whole again: the VIP back on cp1');
		assert.match(output.errors.join('\n'), /round 1: stop haproxy \(systemctl stop haproxy\) on cp1/);
	});

	it('runs several rounds and reports their medians as a table', async () => {
		const cluster = new SimulatedCluster();
		const output = collect();
		const code = await drillCommand(
			{config: specIn(), fault: 'haproxy', yes: true, rounds: '2'},
			output,
			dependencies(cluster),
		);
		assert.equal(code, 0);
		assert.equal(cluster.commands.length, 4);
		assert.match(output.lines.join('\n'), /\n1 +cp1 +cp2 .*\n2 +cp1 +cp2 .*\nmedian /);
	});

	it('reports a VIP that does not move as a problem, and still puts the piece back', async () => {
		const cluster = new SimulatedCluster(Number.POSITIVE_INFINITY);
		const output = collect();
		const code = await drillCommand(
			{config: specIn(), fault: 'haproxy', yes: true},
			output,
			dependencies(cluster, {timings: {...timings, failoverDeadlineMs: 400}}),
		);
		assert.equal(code, 1);
		assert.match(output.lines.join('\n'), /Problems:\n {2}- round 1: the VIP stayed on cp1 for 0\.\d s after/);
		assert.deepEqual(cluster.commands, ['cp1: systemctl stop haproxy', 'cp1: systemctl start haproxy']);
	});

	it('puts the piece back when interrupted, and exits 130', async () => {
		const cluster = new SimulatedCluster(Number.POSITIVE_INFINITY);
		const output = collect();
		const code = await drillCommand({config: specIn(), fault: 'haproxy', yes: true}, output, {
			...dependencies(cluster),
			onInterrupt(handler) {
				const timer = setTimeout(handler, 400);
				return () => clearTimeout(timer);
			},
		});
		assert.equal(code, 130);
		assert.deepEqual(cluster.commands, ['cp1: systemctl stop haproxy', 'cp1: systemctl start haproxy']);
		assert.match(output.lines.join('\n'), /stopping the drill: the piece is put back first/);
	});

	it('asks in a terminal, and changes nothing when the answer is no', async () => {
		const cluster = new SimulatedCluster();
		const questions: string[] = [];
		const output = collect();
		const code = await drillCommand({config: specIn(), fault: 'keepalived'}, output, {
			...dependencies(cluster),
			interactive: true,
			async confirm(message) {
				questions.push(message);
				return false;
			},
		});
		assert.equal(code, 1);
		assert.deepEqual(questions, [
			'stop keepalived (systemctl stop keepalived) on cp1, which holds the VIP 192.168.1.94? The API may be away for a while; kubeha puts it back afterwards.',
		]);
		assert.deepEqual(cluster.commands, []);
	});

	it('refuses a cluster that is not whole, before touching anything', async () => {
		const cluster = new SimulatedCluster();
		cluster.haproxy.set('cp3', false);
		await assert.rejects(
			drillCommand({config: specIn(), fault: 'haproxy', yes: true}, collect(), dependencies(cluster)),
			refusal(/^Before the drill, the cluster prod is not whole.*\n {2}- haproxy on cp3 does not answer/s, 1),
		);
		assert.deepEqual(cluster.commands, []);
	});

	it('refuses a cluster kubeha status finds degraded, before touching anything', async () => {
		const cluster = new SimulatedCluster();
		const degraded = 'etcd member cp3 does not answer: connection refused. Fix: check etcd on cp3.';
		await assert.rejects(
			drillCommand({config: specIn(), fault: 'haproxy', yes: true}, collect(), {
				...dependencies(cluster),
				statusProblems: async () => [degraded],
			}),
			refusal(/^Before the drill, the cluster prod is not whole.*\n {2}- etcd member cp3 does not answer/s, 1),
		);
		assert.deepEqual(cluster.commands, []);
	});

	it('refuses without a terminal unless --yes, and refuses bad flags and other load balancers', async () => {
		const cluster = new SimulatedCluster();
		const run = (options: Parameters<typeof drillCommand>[0]) =>
			drillCommand(options, collect(), {
				...dependencies(cluster),
				openShell: () => Promise.reject(new Error('no connection expected')),
			});
		await assert.rejects(run({config: specIn()}), refusal(/confirm it in a terminal, or pass --yes/));
		await assert.rejects(
			run({config: specIn(), fault: 'etcd', yes: true}),
			refusal(/--fault is "etcd"; it must be one of apiserver, haproxy, keepalived, node/),
		);
		await assert.rejects(
			run({config: specIn(), rounds: '0', yes: true}),
			refusal(/--rounds is "0"; it must be a whole number from 1 to 20/),
		);
		await assert.rejects(run({config: specIn('kube-vip'), yes: true}), refusal(/loadBalancer\.mode is kube-vip/));
		assert.deepEqual(cluster.commands, []);
	});
});
