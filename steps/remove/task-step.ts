import {sh} from '../../source/runner/shell.ts';
import type {ClusterSpec} from '../../source/spec/cluster.ts';
import type {NodeSpec} from '../../source/spec/schema.ts';
import {changedFunction, checksScript, parseMissing, type Task, tasksScript} from '../scripts/tasks.ts';
import type {HostView, Step, StepContext} from '../types.ts';
import type {Removal} from './types.ts';

/** A removal step whose work on each host is a list of tasks (a check and the commands that make it hold). */
export type TaskStepDefinition = {
	readonly id: string;
	readonly title: string;
	readonly hosts: (spec: ClusterSpec) => readonly NodeSpec[];
	readonly tasks: (view: HostView) => readonly Task[];
};

/**
The step for a definition in one removal: a host where every task's check holds is skipped (so running the
removal again after a failure goes on where it stopped); the removed node, when it does not answer, is skipped
with the commands to run there by hand, which the operator is also warned about.
*/
export function taskStep(definition: TaskStepDefinition, removal: Removal): Step {
	return {
		id: definition.id,
		title: definition.title,
		hosts: definition.hosts,
		parallel: false,
		async shouldRun(ctx) {
			const tasks = definition.tasks(ctx);
			if (ctx.host.name === removal.node.name && !removal.reachable) {
				const byHand = `${ctx.host.name} did not answer over ssh, so kubeha could not make sure of: ${tasks.map((task) => task.what).join('; ')}. When it is back (before it is used again), run there: ${tasks.map((task) => task.act).join(' && ')}`;
				removal.warn(byHand);
				return byHand;
			}

			return notInPlace(ctx, removal, tasks);
		},
		async run(ctx) {
			await ctx.shell.run(`${changedFunction}\n${tasksScript(definition.tasks(ctx))}`);
		},
		dryRun: (view) => definition.tasks(view).map((task) => task.what),
	};
}

/** true when a task's check fails on the host (saying which); otherwise why the step is not needed there. */
async function notInPlace(ctx: StepContext, removal: Removal, tasks: readonly Task[]): Promise<true | string> {
	// The raw shell: the checks' output is data, said once below as one line.
	const {stdout} = await removal.shell.run(ctx.host, checksScript(tasks), {signal: ctx.signal});
	const missing = parseMissing(stdout);
	if (missing.length > 0) {
		ctx.emit(`to do: ${missing.join('; ')}`);
		return true;
	}

	return `already done: ${tasks.map((task) => task.what).join('; ')}`;
}

/** A check that the cluster has no Node of that name, asked on a control plane; fails when the API does not answer. */
export function notRegisteredCheck(kubectl: string, name: string): string {
	return [
		`kubeha_nodes=$(${kubectl} get nodes -o 'jsonpath={.items[*].metadata.name}') || exit 1`,
		sh`case " $kubeha_nodes " in *${` ${name} `}*) exit 1 ;; esac`,
	].join('\n');
}
