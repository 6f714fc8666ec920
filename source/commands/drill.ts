import {performance} from 'node:perf_hooks';
import {type FaultName, faultNames} from '../drill/fault-names.ts';
import {faultPlan, httpsUrl} from '../drill/faults.ts';
import {type Probe, type ProbeTarget, probeOnce} from '../drill/probe.ts';
import {type DrillReport, formatReport, medianFigures} from '../drill/report.ts';
import {type DrillContext, type DrillTimings, defaultTimings, drillRound, type RoundReport} from '../drill/round.ts';
import {notWhole, type StatusRequest, statusProblems, wholeClusterHolder} from '../drill/whole.ts';
import {UserError} from '../io/user-error.ts';
import {vipOnly} from '../render/vip.ts';
import {processDependencies, type SessionDependencies} from '../session/dependencies.ts';
import {outputFormatOf} from '../session/flags.ts';
import {agreed, requireConsent} from '../session/gate.ts';
import type {CommandOutput} from '../session/output.ts';
import {prepare} from '../session/prepare.ts';
import {openSession, type SessionOptions} from '../session/session.ts';
import type {ClusterSpec} from '../spec/cluster.ts';

export type DrillOptions = SessionOptions & {
	readonly fault?: string;
	readonly output?: string;
	readonly rounds?: string;
};

/** What the drill needs from the world; tests stand in for the terminal, ssh, the clock and the probes. */
export type DrillDependencies = SessionDependencies & {
	/** What `kubeha status` finds degraded in the cluster, one line each; none when it is healthy. */
	readonly statusProblems: (request: StatusRequest) => Promise<readonly string[]>;
	/** Milliseconds on a monotonic clock. */
	readonly now: () => number;
	readonly probe: Probe;
	readonly timings: DrillTimings;
};

export const processDrillDependencies = (): DrillDependencies => ({
	statusProblems,
	...processDependencies(),
	now: () => performance.now(),
	probe: probeOnce,
	timings: defaultTimings,
});

const maxRounds = 20;

/** Exit codes: every round went well; a round showed a problem; the operator stopped the drill. */
const exitCodes = {done: 0, problems: 1, interrupted: 130} as const;

function faultOf(value: string | undefined): FaultName {
	const fault = value ?? 'apiserver';
	if (!(faultNames as readonly string[]).includes(fault)) {
		throw new UserError(`--fault is "${fault}"; it must be one of ${faultNames.join(', ')}.`);
	}

	return fault as FaultName;
}

function roundsOf(value: string | undefined): number {
	const rounds = value === undefined ? 1 : Number(value);
	if (!Number.isInteger(rounds) || rounds < 1 || rounds > maxRounds) {
		throw new UserError(`--rounds is "${value}"; it must be a whole number from 1 to ${maxRounds}.`);
	}

	return rounds;
}

/** The drill needs a VIP that keepalived moves between load-balancer nodes, and haproxy on them. */
function refuseOtherModes(spec: ClusterSpec): void {
	if (spec.loadBalancer.mode !== 'keepalived-haproxy') {
		throw new UserError(
			`kubeha drill measures how keepalived moves the VIP between load-balancer nodes and how haproxy spreads the API over them; loadBalancer.mode is ${spec.loadBalancer.mode} in this spec, which has neither.`,
		);
	}
}

/** Between rounds the cluster may need a moment after the last restore (a check rising, a backend coming UP). */
const betweenRoundsWaitMs = 30_000;

/**
`kubeha drill`: on the node that holds the VIP, takes one piece down (the API server, haproxy, keepalived or
the node's network) while probing the API through the VIP from here, measures how long the VIP and the API
were away, puts the piece back and waits until the cluster is whole again.
*/
export async function drillCommand(
	options: DrillOptions,
	output: CommandOutput,
	dependencies: DrillDependencies,
): Promise<number> {
	const fault = faultOf(options.fault);
	const rounds = roundsOf(options.rounds);
	const format = outputFormatOf(options.output);
	const session = openSession(options, output, dependencies, {json: format === 'json'});
	const {spec, secretsFile} = await prepare(options.config, output);
	refuseOtherModes(spec);
	requireConsent(
		session,
		`kubeha drill takes part of ${spec.name}'s control plane down for a while (--fault ${fault})`,
	);

	const vip = vipOnly(spec);
	const {timings} = dependencies;
	const target: ProbeTarget = {
		url: `${httpsUrl(vip, spec.loadBalancer.port)}/healthz`,
		ca: secretsFile.secrets.clusterCa.cert,
		timeoutMs: timings.probeTimeoutMs,
	};
	const {say, stateDirectory} = session;
	return session.withShell(spec, async (shell) => {
		const interrupt = new AbortController();
		const context: DrillContext = {
			spec,
			shell,
			vip,
			target,
			probe: dependencies.probe,
			now: dependencies.now,
			say,
			interrupted: interrupt.signal,
			timings,
		};
		// kubeha status judges the whole cluster; the drill's own check adds what only a drill needs (the VIP
		// answering from here with the cluster's CA, no manifest left aside by an earlier drill) and names the holder.
		const degraded = await dependencies.statusProblems({spec, shell, stateDirectory});
		const first = degraded.length > 0 ? {problems: degraded} : await wholeClusterHolder(context, 0);
		const {holder} = first;
		if (holder === undefined) {
			throw new UserError(`Before the drill, ${notWhole(spec.name, first.problems)}`, exitCodes.problems);
		}

		const {action} = faultPlan(spec, holder, fault);
		const question = `${action} on ${holder.name}, which holds the VIP ${vip}? The API may be away for a while; kubeha puts it back afterwards.`;
		if (!(await agreed(session, question))) {
			return exitCodes.problems;
		}

		const reports: RoundReport[] = [];
		let stopped: string | undefined;
		const release = dependencies.onInterrupt(() => {
			say('stopping the drill: the piece is put back first.');
			interrupt.abort();
		});
		try {
			for (let round = 1; round <= rounds && !interrupt.signal.aborted; round++) {
				const next = round === 1 ? first : await wholeClusterHolder(context, betweenRoundsWaitMs);
				if (next.holder === undefined) {
					stopped = `After round ${round - 1}, ${notWhole(spec.name, next.problems)}`;
					break;
				}

				reports.push(await drillRound(context, round, next.holder, fault));
			}
		} finally {
			release();
		}

		const report: DrillReport = {
			cluster: spec.name,
			vip,
			probe: {url: target.url, intervalMs: timings.probeIntervalMs, timeoutMs: timings.probeTimeoutMs},
			fault,
			rounds: reports,
			median: medianFigures(reports),
			...(stopped === undefined ? {} : {stopped}),
		};
		output.out(format === 'json' ? JSON.stringify(report, undefined, 2) : formatReport(report));
		if (interrupt.signal.aborted) {
			return exitCodes.interrupted;
		}

		return stopped !== undefined || reports.some((round) => round.problems.length > 0)
			? exitCodes.problems
			: exitCodes.done;
	});
}
