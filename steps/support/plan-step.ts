import {bindShell} from '../../source/runner/shell.ts';
import {writeFile} from '../../source/runner/write-file.ts';
import type {ClusterSpec} from '../../source/spec/cluster.ts';
import type {NodeSpec} from '../../source/spec/schema.ts';
import {type OsFamily, osFamilies} from '../scripts/os.ts';
import {
	bundlePlanScript,
	describePlan,
	type HostPlan,
	planChecks,
	planFilePaths,
	validateScript,
} from '../scripts/plan.ts';
import {changedFunction, checksScript, clearPendingScript, parseMissing, tasksScript} from '../scripts/tasks.ts';
import type {HostView, Step, StepContext} from '../types.ts';
import {everyRun, familyOf, type InstallRun} from './install-run.ts';

/**
A step whose work on a host is a plan (files, then tasks, see `HostPlan`), as data: the same plan gives the
run, the in-place check that skips a host, the dry-run lines and the host's part of apply.sh.
*/
export type PlanStepDefinition = {
	readonly id: string;
	readonly title: string;
	readonly hosts: (spec: ClusterSpec) => readonly NodeSpec[];
	readonly parallel: boolean | number;
	readonly plan: (view: HostView, family: OsFamily) => HostPlan;
	/** Run again in every run, whatever the journal says (its effect expires, like join credentials). */
	readonly everyRun?: boolean;
};

/** The step for a definition, in one run. */
export function planStep(definition: PlanStepDefinition, run: InstallRun): Step {
	const planOf = (ctx: StepContext) => definition.plan(ctx, familyOf(run, ctx.host));
	return {
		id: definition.id,
		title: definition.title,
		hosts: definition.hosts,
		parallel: definition.parallel,
		// The plans themselves: an edit that changes nothing this step does on a host does not redo it on resume.
		dependsOn: definition.everyRun
			? everyRun(run)
			: (view) => osFamilies.map((family) => definition.plan(view, family)),
		shouldRun: (ctx) => notInPlace(ctx, run, planOf(ctx)),
		run: (ctx) => executePlan(ctx, run, planOf(ctx)),
		dryRun: (view) => describeForFamilies(osFamilies.map((family) => describePlan(definition.plan(view, family)))),
	};
}

/** true when something of the plan is not in place on the host (and says what); otherwise the reason to skip. */
async function notInPlace(ctx: StepContext, run: InstallRun, plan: HostPlan): Promise<true | string> {
	const checks = planChecks(plan);
	// The raw shell: the checks' output is data, said once below as one line.
	const {stdout} = await run.shell.run(ctx.host, checksScript(checks), {signal: ctx.signal});
	const missing = parseMissing(stdout);
	if (missing.length > 0) {
		ctx.emit(`to do: ${missing.join('; ')}`);
		return true;
	}

	return `already in place: ${checks.map((check) => check.what).join('; ')}`;
}

/** Puts the plan's files in place (each checked first when it has a validator) and does its tasks, in order. */
async function executePlan(ctx: StepContext, run: InstallRun, plan: HostPlan): Promise<void> {
	// The write scripts' last line is a marker for writeFile, not news for the operator: "wrote …" says it.
	const quiet = bindShell(run.shell, ctx.host, {signal: ctx.signal});
	const written: string[] = [];
	for (const action of plan) {
		if (action.kind === 'tasks') {
			await ctx.shell.run(`${changedFunction}\n${tasksScript(action.tasks)}`, {
				env: {KUBEHA_CHANGED: written.join(' ')},
			});
			continue;
		}

		for (const put of action.files) {
			if (put.validate) {
				await ctx.shell.run(validateScript(put)).catch((error: unknown) => {
					throw new Error(
						`the new ${put.file.path} fails \`${put.validate?.(put.file.path)}\` on ${ctx.host.name}, so kubeha left the old one in place: ${(error as Error).message}. Fix the spec (or the template) and apply again.`,
						{cause: error},
					);
				});
			}

			if (await writeFile(quiet, put.file, {markPending: true})) {
				written.push(put.file.path);
				ctx.emit(`wrote ${put.file.path}`);
			}
		}
	}

	// Every task that needed the new files has done its part: a later run must not redo it.
	const paths = planFilePaths(plan);
	if (paths.length > 0) {
		await quiet.run(clearPendingScript(paths));
	}
}

const familyNames: Readonly<Record<OsFamily, string>> = {apt: 'Debian and Ubuntu', dnf: 'RHEL family'};

/**
The dry-run lines of both families in one list: lines both share once, a line only one family has marked with
it, in the order of the plans (the second family's own lines just before the shared line that follows them).
*/
export function describeForFamilies(byFamily: readonly (readonly string[])[]): string[] {
	const [first = [], second = []] = byFamily;
	const [firstFamily, secondFamily] = osFamilies as [OsFamily, OsFamily];
	const result = first.map((line) => (second.includes(line) ? line : `${line} (${familyNames[firstFamily]})`));
	let pending: string[] = [];
	for (const line of second) {
		const shared = result.indexOf(line);
		if (shared === -1) {
			pending.push(`${line} (${familyNames[secondFamily]})`);
		} else {
			result.splice(shared, 0, ...pending);
			pending = [];
		}
	}

	return [...result, ...pending];
}

/** A step's share of a host's apply.sh: bash for one node, given its package family. */
export type BundlePart = {
	readonly id: string;
	readonly title: string;
	readonly hosts: (spec: ClusterSpec) => readonly NodeSpec[];
	readonly script: (view: HostView, family: OsFamily) => string;
	/**
	An argument of apply.sh that runs this part alone (and leaves it out of the plain run), for parts that need
	every node done first, like the final checks.
	*/
	readonly argument?: string;
};

/** An entry of the install order: how to make the step for a run, and its part of apply.sh when it has one. */
export type InstallStep = {
	readonly step: (run: InstallRun) => Step;
	readonly bundle?: BundlePart;
};

/** A plan step as an install entry: apply.sh carries the very plan the step runs. */
export const fromPlan = (definition: PlanStepDefinition): InstallStep => ({
	step: (run) => planStep(definition, run),
	bundle: {
		id: definition.id,
		title: definition.title,
		hosts: definition.hosts,
		script: (view, family) => bundlePlanScript(definition.plan(view, family)),
	},
});
