import type {Shell} from '../runner/shell.ts';
import type {ClusterSpec} from '../spec/cluster.ts';
import type {NodeSpec} from '../spec/schema.ts';
import {probeCluster} from '../status/probe.ts';
import {problemsOf} from '../status/problems.ts';
import {waitUntilWhole} from './health.ts';
import type {DrillContext} from './round.ts';

/** What a status check needs: the spec, a shell to its nodes, the state directory (admin.conf). */
export type StatusRequest = {readonly spec: ClusterSpec; readonly shell: Shell; readonly stateDirectory: string};

/** kubeha status's probe and judgement: the one notion of a degraded cluster. */
export async function statusProblems(request: StatusRequest): Promise<readonly string[]> {
	return problemsOf(await probeCluster(request), request.spec).map(
		(problem) => `${problem.what}: ${problem.why}. Fix: ${problem.fix}`,
	);
}

/** The VIP holder of a whole cluster, as a node of the spec; undefined while the cluster is not whole. */
export async function wholeClusterHolder(
	context: DrillContext,
	waitMs: number,
): Promise<{readonly holder?: NodeSpec; readonly problems: readonly string[]}> {
	const state = await waitUntilWhole(
		{...context, pollMs: context.timings.pollMs, signal: context.interrupted},
		{deadline: context.now() + waitMs},
	);
	const holder = context.spec.nodes.find((node) => node.name === state.holder);
	return {problems: state.problems, ...(holder === undefined ? {} : {holder})};
}

/** Why a drill does not start (or go on): the cluster is not whole. */
export const notWhole = (cluster: string, problems: readonly string[]): string =>
	[
		`the cluster ${cluster} is not whole, so a drill would measure a failure it did not cause:`,
		...problems.map((problem) => `  - ${problem}`),
		'Fix these, then run kubeha drill again.',
	].join('\n');
