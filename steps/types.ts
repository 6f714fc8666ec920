import type {RenderedFile} from '../source/render/types.ts';
import type {CommandResult, HostShell, ScriptArgument} from '../source/runner/shell.ts';
import type {ClusterSpec} from '../source/spec/cluster.ts';
import type {NodeSpec} from '../source/spec/schema.ts';

/** What a step may read about the host it works on: enough to plan, describe or hash, nothing that acts. */
export type HostView = {
	readonly host: NodeSpec;
	/** The effective spec. */
	readonly spec: ClusterSpec;
	/** Every file rendered for this host, sorted by path. */
	readonly files: readonly RenderedFile[];
};

/** What a step's shouldRun and run receive for one host. */
export type StepContext = HostView & {
	/** The host's shell: output lines become the run's line events; the run's signal ends its commands. */
	readonly shell: HostShell;
	/** ctx.$`systemctl restart ${unit}`: runs one script line on the host, every value quoted as one word. */
	readonly $: (pieces: TemplateStringsArray, ...args: readonly ScriptArgument[]) => Promise<CommandResult>;
	/** Reports a line of the step's own (it becomes a line event, redacted like the rest). */
	readonly emit: (text: string) => void;
	/** Aborted on Ctrl-C; pass it to anything that waits. */
	readonly signal: AbortSignal;
};

/**
One install step, as data (one per file in steps/, listed in order by steps/index.ts). The runner runs it on
each of its hosts: shouldRun (when present) decides, run acts; a dry run only calls dryRun.
*/
export type Step = {
	/** kebab-case, unique: the journal and the events know the step by it. */
	readonly id: string;
	/** What the operator reads, e.g. "Install keepalived". */
	readonly title: string;
	/** The hosts the step works on, in order. */
	readonly hosts: (spec: ClusterSpec) => readonly NodeSpec[];
	/** true: hosts at once (up to the runner's limit); a number: at most that many at once; false: one by one. */
	readonly parallel: boolean | number;
	/**
	What the step's effect on a host depends on; when it changes, a resumed run does the step again. Default: the
	whole effective spec and the host's files. Narrow it (e.g. to the keepalived files) so unrelated edits do not
	redo the step.
	*/
	readonly dependsOn?: (view: HostView) => unknown;
	/** true to run; otherwise why the step is not needed on this host (its effect is already in place). */
	readonly shouldRun?: (ctx: StepContext) => Promise<true | string>;
	readonly run: (ctx: StepContext) => Promise<void>;
	/** What run would do on this host, one line each, for the plan shown before confirming. Runs no command. */
	readonly dryRun: (view: HostView) => readonly string[];
};
