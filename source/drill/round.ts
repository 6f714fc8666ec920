// One drill round on the VIP holder: take a piece down while clients probe the API through the VIP, watch the VIP
// move, put the piece back, and wait until the cluster is whole again. Every command goes through the Shell.
import {setTimeout as delay} from 'node:timers/promises';
import {UserError} from '../io/user-error.ts';
import type {Shell} from '../runner/shell.ts';
import {type ClusterSpec, loadBalancerNodes} from '../spec/cluster.ts';
import type {NodeSpec} from '../spec/schema.ts';
import type {FaultName} from './fault-names.ts';
import {type FaultPlan, faultPlan} from './faults.ts';
import {waitUntilWhole} from './health.ts';
import {type Probe, type Prober, type ProbeTarget, startProbing} from './probe.ts';
import {type Figures, figuresOf, steadySince, vipMove} from './timeline.ts';
import {type VipWatch, watchVip} from './vip-watch.ts';

/** How long the drill waits for what, in milliseconds. */
export type DrillTimings = {
	/** Between two probes through the VIP. */
	readonly probeIntervalMs: number;
	/** A probe with no answer by then has failed. */
	readonly probeTimeoutMs: number;
	/** Probing (and watching the VIP) before the fault, so that the first figures are not start-up noise. */
	readonly baselineMs: number;
	/** The VIP must have moved and the API answered steadily by then, or the failover failed. */
	readonly failoverDeadlineMs: number;
	/** How long the API must answer without a failure before the drill calls the failover over. */
	readonly steadyMs: number;
	/** apiserver fault: how long to keep probing after the API server is down (haproxy needs a few checks). */
	readonly settleMs: number;
	/** apiserver fault: how long the kubelet may take to end the pod. */
	readonly downDeadlineMs: number;
	/** After the restore: how long the piece, then the whole cluster, may take to be back. */
	readonly restoreDeadlineMs: number;
	/** Between two looks at the cluster while waiting. */
	readonly pollMs: number;
};

export const defaultTimings: DrillTimings = {
	probeIntervalMs: 100,
	probeTimeoutMs: 1000,
	baselineMs: 1000,
	failoverDeadlineMs: 60_000,
	steadyMs: 2000,
	settleMs: 10_000,
	downDeadlineMs: 90_000,
	// A kube-apiserver pod takes up to a minute to start, and keepalived's checks must rise after it.
	restoreDeadlineMs: 240_000,
	pollMs: 500,
};

/** What a round works with. */
export type DrillContext = {
	readonly spec: ClusterSpec;
	readonly shell: Shell;
	readonly vip: string;
	readonly target: ProbeTarget;
	readonly probe: Probe;
	/** Milliseconds on a monotonic clock. */
	readonly now: () => number;
	/** Progress for the operator. */
	readonly say: (text: string) => void;
	/** Ctrl-C: the observation ends early; the piece is put back all the same. */
	readonly interrupted: AbortSignal;
	readonly timings: DrillTimings;
};

export type RoundReport = {
	readonly round: number;
	readonly fault: FaultName;
	/** The node that held the VIP and lost a piece. */
	readonly node: string;
	readonly action: string;
	/** apiserver fault: from the fault (the manifest moved) until nothing listened on the API server's port. */
	readonly pieceDownAfterMs?: number;
	/** From the fault until the restore began. */
	readonly failover: Figures;
	/** From the restore until the cluster was whole again. */
	readonly restore: Figures & {readonly wholeAfterMs?: number};
	/** What did not go as it should, each with what to do; empty when the round went well. */
	readonly problems: readonly string[];
	readonly interrupted: boolean;
};

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Resolves after `ms`, or at once when the signal fires. */
const pause = (ms: number, signal?: AbortSignal): Promise<void> =>
	delay(Math.max(0, ms), undefined, signal ? {signal} : {}).catch(() => undefined);

/** Polls `check` until it is true or `deadline` (on the context's clock) passes; true when it became true. */
async function waitFor(
	context: DrillContext,
	deadline: number,
	check: () => Promise<boolean>,
	signal?: AbortSignal,
): Promise<boolean> {
	while (!signal?.aborted) {
		if (await check()) {
			return true;
		}

		if (context.now() >= deadline) {
			return false;
		}

		await pause(context.timings.pollMs, signal);
	}

	return false;
}

/** Runs a check script on the node: true when it exits 0, false when it fails or the node does not answer. */
async function passes(context: DrillContext, node: NodeSpec, script: string): Promise<boolean> {
	try {
		const result = await context.shell.run(node, script, {nothrow: true, signal: AbortSignal.timeout(10_000)});
		return result.exitCode === 0;
	} catch {
		return false;
	}
}

/** When the drill sent the fault's command, and when that command returned. */
type InjectTimes = {readonly sent: number; readonly ended: number};

/** When the holder reported the piece down, after the command was sent. */
const pieceDownAt = (watch: VipWatch, times: InjectTimes): number | undefined =>
	watch.pieceChanges.find((change) => !change.up && change.at >= times.sent)?.at;

/**
When the fault took effect: the inject script's end (plus its delay), or, for a stopped service, the first sign
on the holder: the piece seen down, or the VIP let go (keepalived drops it as it stops, before it exits).
*/
function faultMoment(plan: FaultPlan, watch: VipWatch, times: InjectTimes): number {
	const ended = times.ended + plan.delaySeconds * 1000;
	if (plan.faultFrom === 'inject-end') {
		return ended;
	}

	const released = watch.changes.find(
		(change) => change.node === plan.node.name && !change.holds && change.at >= times.sent,
	)?.at;
	return Math.min(pieceDownAt(watch, times) ?? ended, released ?? ended);
}

/** Whether the failover is over: the VIP moved (when it should) and the API has answered steadily since. */
function failoverOver(context: DrillContext, plan: FaultPlan, watch: VipWatch, prober: Prober, times: InjectTimes) {
	const {now, timings} = context;
	if (!plan.vipMoves) {
		const down = pieceDownAt(watch, times);
		return down !== undefined && now() >= down + timings.settleMs;
	}

	const moved = vipMove(watch.changes, times.sent, plan.node.name);
	if (moved === undefined) {
		return false;
	}

	const enough = Math.floor(timings.steadyMs / timings.probeIntervalMs / 2);
	return steadySince(prober.results, Math.max(moved.at, now() - timings.steadyMs), enough);
}

/** Watches the failover until it is over, its deadline passes or the operator interrupts. */
async function observe(context: DrillContext, plan: FaultPlan, watch: VipWatch, prober: Prober, times: InjectTimes) {
	const {timings} = context;
	// The node fault ends by itself: the observation stops a second before the holder is back.
	const span =
		plan.selfRestoreSeconds === undefined
			? plan.vipMoves
				? timings.failoverDeadlineMs
				: timings.downDeadlineMs + timings.settleMs
			: (plan.delaySeconds + plan.selfRestoreSeconds - 1) * 1000;
	const deadline = times.ended + span;
	while (!context.interrupted.aborted && context.now() < deadline) {
		if (failoverOver(context, plan, watch, prober, times)) {
			return;
		}

		await pause(100, context.interrupted);
	}
}

/** What went wrong in the failover, from the figures. */
function failoverProblems(plan: FaultPlan, figures: Figures, pieceDown: number | undefined, spanMs: number): string[] {
	const holder = plan.node.name;
	return [
		...(plan.fault === 'apiserver' && pieceDown === undefined
			? [
					`the API server on ${holder} still listened on its port ${seconds(spanMs)} after the drill began to ${plan.action}: check the kubelet on ${holder} (journalctl -u kubelet).`,
				]
			: []),
		...(plan.vipMoves && figures.newHolder === undefined
			? [
					`the VIP stayed on ${holder} for ${seconds(spanMs)} after the drill began to ${plan.action}: keepalived's checks did not move it (see journalctl -u keepalived on the load-balancer nodes).`,
				]
			: []),
		...(figures.apiBackAfterMs === undefined
			? [`the API did not answer through the VIP again within ${seconds(spanMs)} of the fault.`]
			: []),
	];
}

/** Puts the piece back (or waits for the node to) and waits until it is up and the cluster whole again. */
async function restore(
	context: DrillContext,
	plan: FaultPlan,
	times: InjectTimes,
): Promise<{readonly wholeAt?: number; readonly problems: string[]}> {
	const {now, timings} = context;
	const holder = plan.node;
	const manual = `run on ${holder.name}: ${plan.manualRestore}`;
	if (plan.restore === undefined) {
		context.say(
			`${holder.name} brings its network back by itself ${plan.selfRestoreSeconds} s after the cut; waiting.`,
		);
		await pause(times.ended + (plan.delaySeconds + (plan.selfRestoreSeconds ?? 0)) * 1000 - now());
	} else {
		context.say(`putting it back on ${holder.name}.`);
		try {
			await context.shell.run(holder, plan.restore, {signal: AbortSignal.timeout(60_000)});
		} catch (error) {
			return {problems: [`kubeha could not undo the fault on ${holder.name} (${(error as Error).message}); ${manual}`]};
		}
	}

	const deadline = now() + timings.restoreDeadlineMs;
	if (!(await waitFor(context, deadline, () => passes(context, holder, plan.upCheck)))) {
		return {problems: [`${holder.name} was not back within ${seconds(timings.restoreDeadlineMs)}; ${manual}`]};
	}

	// Whole again, with the VIP back on the holder, so that the next round does not start in its return.
	const whole = await waitUntilWhole(
		{...context, pollMs: timings.pollMs, signal: context.interrupted},
		{deadline, holder: holder.name},
	);
	return whole.problems.length === 0
		? {wholeAt: now(), problems: []}
		: {
				problems: [
					`the cluster was not whole again within ${seconds(timings.restoreDeadlineMs)}: ${whole.problems.join(' ')}`,
				],
			};
}

/** One round: the fault on `holder` (which holds the VIP now), the failover, the restore. */
export async function drillRound(
	context: DrillContext,
	round: number,
	holder: NodeSpec,
	fault: FaultName,
): Promise<RoundReport> {
	const {now, timings, spec} = context;
	const plan = faultPlan(spec, holder, fault);
	const watch = watchVip({
		shell: context.shell,
		nodes: loadBalancerNodes(spec),
		vip: context.vip,
		now,
		...(plan.pieceCheck === undefined ? {} : {piece: {node: holder.name, check: plan.pieceCheck}}),
	});
	const prober = startProbing({target: context.target, intervalMs: timings.probeIntervalMs, now, probe: context.probe});
	try {
		await pause(timings.baselineMs);
		context.say(`round ${round}: ${plan.action} on ${holder.name}, which holds the VIP ${context.vip}.`);
		const sent = now();
		const injected = await context.shell
			.run(holder, plan.inject, {nothrow: true, signal: AbortSignal.timeout(60_000)})
			.catch((error: Error) => ({exitCode: 1, stderr: error.message}));
		const times = {sent, ended: now()};
		if (injected.exitCode !== 0) {
			const undone = await restore(context, plan, times);
			throw new UserError(
				[`could not ${plan.action} on ${holder.name}: ${injected.stderr.trim()}`, ...undone.problems].join('\n'),
				1,
			);
		}

		await observe(context, plan, watch, prober, times);
		const restoreAt = now();
		const faultAt = faultMoment(plan, watch, times);
		const failover = figuresOf({
			since: faultAt,
			requestsFrom: sent,
			until: restoreAt,
			holder: holder.name,
			probes: prober.results,
			changes: watch.changes,
		});
		const pieceDown = plan.fault === 'apiserver' ? pieceDownAt(watch, times) : undefined;
		context.say(describeFailover(plan, failover, pieceDown === undefined ? undefined : pieceDown - faultAt));
		const restored = await restore(context, plan, times);
		await prober.stop();
		const restoreFigures = figuresOf({
			since: restoreAt,
			until: restored.wholeAt ?? now(),
			holder: failover.newHolder ?? holder.name,
			probes: prober.results,
			changes: watch.changes,
		});
		if (restored.wholeAt !== undefined) {
			context.say(
				`the cluster is whole again after ${seconds(restored.wholeAt - restoreAt)}, the VIP back on ${holder.name}.`,
			);
		}

		return {
			round,
			fault,
			node: holder.name,
			action: plan.action,
			...(pieceDown === undefined ? {} : {pieceDownAfterMs: Math.round(Math.max(0, pieceDown - faultAt))}),
			failover,
			restore: {
				...restoreFigures,
				...(restored.wholeAt === undefined ? {} : {wholeAfterMs: Math.round(restored.wholeAt - restoreAt)}),
			},
			problems: [
				...(context.interrupted.aborted ? [] : failoverProblems(plan, failover, pieceDown, restoreAt - faultAt)),
				...restored.problems,
			],
			interrupted: context.interrupted.aborted,
		};
	} finally {
		await prober.stop();
		await watch.stop();
	}
}

/** One line on how the failover went. */
function describeFailover(plan: FaultPlan, figures: Figures, pieceDownAfterMs: number | undefined): string {
	const stopped =
		pieceDownAfterMs === undefined
			? ''
			: `the API server on ${plan.node.name} stopped listening after ${seconds(pieceDownAfterMs)}; `;
	const moved =
		figures.newHolder === undefined
			? `the VIP stayed on ${plan.node.name}`
			: `${figures.newHolder} took the VIP after ${seconds(figures.vipMovedAfterMs ?? 0)}`;
	const api =
		figures.failedRequests === 0
			? 'no request through the VIP failed'
			: figures.apiBackAfterMs === undefined
				? `the API did not answer again (${figures.failedRequests} of ${figures.requests} requests failed)`
				: `the API answered again after ${seconds(figures.apiBackAfterMs)} (${figures.failedRequests} of ${figures.requests} requests failed)`;
	return `${stopped}${moved}; ${api}.`;
}
