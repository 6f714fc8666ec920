import type {Step} from '../../steps/types.ts';
import type {HostFiles} from '../render/types.ts';
import type {ClusterSpec} from '../spec/cluster.ts';
import type {NodeSpec} from '../spec/schema.ts';
import type {HostFailure, RunEventListener, RunStatus} from './events.ts';
import type {Journal} from './journal.ts';
import {forEachBounded} from './pool.ts';
import type {Redact} from './redact.ts';
import {type HostRunOptions, runHost} from './run-host.ts';
import type {Shell} from './shell.ts';

export type RunnerOptions = {
	readonly steps: readonly Step[];
	readonly spec: ClusterSpec;
	/** The rendered files of every host. */
	readonly files: readonly HostFiles[];
	readonly shell: Shell;
	/** Applied to every text before it is emitted. */
	readonly redact: Redact;
	readonly onEvent: RunEventListener;
	/** Records finished steps; a journal opened for resuming also skips what it holds. */
	readonly journal?: Journal;
	/** Describe each step on each host (dry events) instead of running anything. */
	readonly dryRun?: boolean;
	/** Ctrl-C: running commands end, no new host or step starts. */
	readonly signal?: AbortSignal;
	/** The most hosts a parallel step works on at once. */
	readonly concurrency?: number;
	readonly now?: () => number;
};

export type RunSummary = {readonly status: RunStatus; readonly failures: readonly HostFailure[]};

const defaultConcurrency = 10;
const stepId = /^[a-z\d]+(?:-[a-z\d]+)*$/;

/**
Runs the steps in order, each on its hosts (in parallel up to a limit, or one by one), and reports everything
as events; it never writes to the terminal. After a failure or an abort, the hosts already running finish
(aborted ones have their commands ended) and nothing new starts.
*/
export async function runSteps(options: RunnerOptions): Promise<RunSummary> {
	const {steps, spec, onEvent, now = Date.now} = options;
	checkStepIds(steps);
	const signal = options.signal ?? new AbortController().signal;
	const started = now();
	const plan = steps.map((step) => ({stepId: step.id, title: step.title, hosts: step.hosts(spec).map(nameOf)}));
	onEvent({kind: 'run-start', at: started, dryRun: options.dryRun ?? false, steps: plan});
	const failures: HostFailure[] = [];
	let status: RunStatus = signal.aborted ? 'aborted' : 'done';
	for (const step of steps) {
		if (status !== 'done') {
			break;
		}

		status = await runStep(step, {...options, signal, now}, failures);
	}

	await options.journal?.flush();
	const ended = now();
	onEvent({kind: 'run-end', at: ended, durationMs: ended - started, status, failures});
	return {status, failures};
}

async function runStep(
	step: Step,
	options: HostRunOptions & Pick<RunnerOptions, 'concurrency'>,
	failures: HostFailure[],
): Promise<RunStatus> {
	const {onEvent, now, signal, concurrency = defaultConcurrency} = options;
	const hosts = step.hosts(options.spec);
	const started = now();
	onEvent({kind: 'step-start', at: started, stepId: step.id, title: step.title, hosts: hosts.map(nameOf)});
	const limit =
		step.parallel === true ? concurrency : step.parallel === false ? 1 : Math.min(step.parallel, concurrency);
	await forEachBounded(hosts, limit, async (host) => {
		const outcome = await runHost(step, host, options);
		if (outcome.status === 'failed') {
			failures.push({...outcome, host: host.name, stepId: step.id});
		}

		return outcome.status === 'done' || outcome.status === 'skipped';
	});
	const status = signal.aborted ? 'aborted' : failures.some((f) => f.stepId === step.id) ? 'failed' : 'done';
	const ended = now();
	onEvent({kind: 'step-end', at: ended, stepId: step.id, durationMs: ended - started, status});
	return status;
}

function checkStepIds(steps: readonly Step[]): void {
	const seen = new Set<string>();
	for (const {id} of steps) {
		if (!stepId.test(id) || seen.has(id)) {
			throw new Error(
				`step id "${id}" is ${seen.has(id) ? 'used twice' : 'not kebab-case'}: each step needs its own kebab-case id.`,
			);
		}

		seen.add(id);
	}
}

const nameOf = (node: NodeSpec) => node.name;
