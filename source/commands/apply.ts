import {randomUUID} from 'node:crypto';
import {mkdir} from 'node:fs/promises';
import {dirname, join, resolve} from 'node:path';
import {installSteps} from '../../steps/index.ts';
import type {InstallRun} from '../../steps/support/install-run.ts';
import {appliedDirectory, readApplied, recordApplied} from '../install/applied-record.ts';
import {readHostCopies} from '../install/host-copies.ts';
import {UserError} from '../io/user-error.ts';
import {driftedFiles, formatFilePlan, type HostFilePlan, planFiles} from '../plan/file-plan.ts';
import {maskHostCopy, secretPlaceholders} from '../plan/host-mask.ts';
import {installedFiles, planSummary} from '../plan/install-plan.ts';
import {renderCluster} from '../render/index.ts';
import type {HostFiles, Templates} from '../render/types.ts';
import type {RunEvent} from '../runner/events.ts';
import {Journal} from '../runner/journal.ts';
import {openLogFile} from '../runner/log-file.ts';
import type {Redact} from '../runner/redact.ts';
import {redactor} from '../runner/redact.ts';
import {runSteps} from '../runner/runner.ts';
import type {Shell} from '../runner/shell.ts';
import {maskSecrets} from '../secrets/mask.ts';
import type {Secrets} from '../secrets/types.ts';
import {
	type ConnectDependencies,
	type ConnectOptions,
	connectToNodes,
	processConnectDependencies,
} from '../session/connect.ts';
import {formatEvent, type OutputFormat} from '../session/event-lines.ts';
import type {CommandOutput} from '../session/output.ts';
import {prepare} from '../session/prepare.ts';
import {parseSshOptions} from '../session/ssh-config.ts';
import type {ClusterSpec} from '../spec/cluster.ts';
import {eventQueue, renderApplyProgress} from '../ui/progress/index.ts';

export type ApplyOptions = ConnectOptions & {
	readonly config: string;
	readonly dryRun?: boolean;
	readonly resume?: boolean;
	readonly yes?: boolean;
	/** Go on when a file on a host was changed since the last apply (drift), overwriting it. */
	readonly overwriteDrift?: boolean;
	readonly output?: string;
	readonly concurrency?: string;
};

/** What the command needs from the world, so that tests can stand in for the terminal, ssh and Ctrl-C. */
export type ApplyDependencies = ConnectDependencies & {
	/** Calls the handler on each Ctrl-C until the returned function is called. */
	readonly onInterrupt: (handler: () => void) => () => void;
	readonly now: () => number;
	/** A live view of the install on a terminal; without one, the events are printed as lines. */
	readonly progressView?: (options: ProgressViewOptions) => ProgressView;
};

export type ProgressViewOptions = {
	readonly logPath: string;
	readonly resumeCommand: string;
	/** The operator confirmed Ctrl-C in the view: stop the run. */
	readonly onAbortRequest: () => void;
};

export type ProgressView = {
	readonly push: (event: RunEvent) => void;
	/** Ends the view once the run is over; resolves when its last frame is drawn. */
	readonly close: () => Promise<void>;
};

/** The ink view of the install (source/ui/progress): it owns stdin, and asks itself on Ctrl-C. */
function inkProgressView(options: ProgressViewOptions): ProgressView {
	const queue = eventQueue();
	const shown = renderApplyProgress({events: queue, ...options});
	return {
		push: queue.push,
		async close() {
			queue.end();
			await shown;
		},
	};
}

export const processApplyDependencies = (): ApplyDependencies => ({
	...processConnectDependencies(),
	now: Date.now,
	...(process.stdin.isTTY && process.stdout.isTTY && process.env['TERM'] !== 'dumb'
		? {progressView: inkProgressView}
		: {}),
});

/** The state directory beside the spec: journal, logs, the kubeconfig, the record of the last apply. */
export const stateDirectoryFor = (config: string): string => join(dirname(resolve(config)), '.kubeha');

/** Exit codes: the install is done, it failed, or the operator stopped it. */
const exitCodes = {done: 0, failed: 1, aborted: 130} as const;

/** A shell for dry runs, where the runner calls none; if it ever did, the run fails instead of touching a host. */
const noShell: Shell = {
	run: () => Promise.reject(new Error('a dry run runs no command on the hosts')),
	close: async () => undefined,
};

/** What both a dry run and an install work from. */
export type ApplyContext = {
	readonly options: ApplyOptions;
	readonly output: CommandOutput;
	readonly dependencies: ApplyDependencies;
	readonly spec: ClusterSpec;
	readonly format: OutputFormat;
	/** Rendered with the secrets, for the hosts. */
	readonly files: readonly HostFiles[];
	/** The files as the install leaves them on the hosts, with the secrets: what each host is compared with. */
	readonly installed: readonly HostFiles[];
	/** The same with the secrets masked: what is shown, and the record of what was applied. */
	readonly installedMasked: readonly HostFiles[];
	readonly redact: Redact;
	/** A host's copy of a file, fit to show beside the masked render (see maskHostCopy). */
	readonly maskHost: (text: string, expectedMasked: string) => string;
	readonly stateDirectory: string;
	readonly concurrency: number | undefined;
	/** Prints a runner event in the chosen format. */
	readonly print: (event: RunEvent) => void;
	/** Prints words for the operator: stdout, or stderr when stdout carries JSON. */
	readonly say: (text: string) => void;
	readonly installRun: (shell: Shell) => InstallRun;
};

/** What a command that installs (apply, add-node) hands over: a valid spec with its secrets and templates. */
export type ApplyInput = {
	readonly spec: ClusterSpec;
	readonly secrets: Secrets;
	readonly templates: Templates;
};

/** The flags of an apply, checked: a mistake in them is the operator's to fix before anything else happens. */
export type ApplyFlags = {readonly format: OutputFormat; readonly concurrency: number | undefined};

/** Checks the flags (a UserError names the bad one) and returns them parsed. */
export function applyFlags(options: ApplyOptions): ApplyFlags {
	const flags = {format: outputFormatOf(options.output), concurrency: concurrencyOf(options.concurrency)};
	parseSshOptions(options.sshOption ?? []);
	return flags;
}

/** The context of one apply of a spec; makes the state directory beside the spec. */
export async function applyContext(
	options: ApplyOptions,
	{format, concurrency}: ApplyFlags,
	{spec, secrets, templates}: ApplyInput,
	output: CommandOutput,
	dependencies: ApplyDependencies,
): Promise<ApplyContext> {
	const stateDirectory = stateDirectoryFor(options.config);
	await mkdir(stateDirectory, {recursive: true, mode: 0o700});
	const files = renderCluster(spec, secrets, templates);
	const redact = redactor(secrets);
	const placeholders = secretPlaceholders(secrets);
	return {
		options,
		output,
		dependencies,
		spec,
		format,
		files,
		installed: installedFiles(spec, files),
		installedMasked: installedFiles(spec, renderCluster(spec, maskSecrets(secrets), templates)),
		redact,
		maskHost: (text, expectedMasked) => maskHostCopy(text, expectedMasked, placeholders, redact),
		stateDirectory,
		concurrency,
		print(event) {
			const line = formatEvent(event, {format, dryRun: options.dryRun === true});
			if (line !== undefined) {
				output.out(line);
			}
		},
		say: format === 'json' ? output.err : output.out,
		installRun: (shell) => ({
			runId: randomUUID(),
			facts: new Map(),
			now: dependencies.now,
			stateDirectory,
			shell,
			clusterCaCertificate: secrets.clusterCa.cert,
		}),
	};
}

/**
`kubeha apply`: installs the cluster the spec describes, step by step on its nodes over ssh, skipping what is
in place, after showing what changes on each host against the files it has now; `--dry-run` shows it all and
changes nothing (it reads the hosts' files).
*/
export async function applyCommand(
	options: ApplyOptions,
	output: CommandOutput,
	dependencies: ApplyDependencies = processApplyDependencies(),
): Promise<number> {
	const flags = applyFlags(options);
	const {spec, secretsFile, templates} = await prepare(options.config, output);
	const context = await applyContext(
		options,
		flags,
		{spec, secrets: secretsFile.secrets, templates},
		output,
		dependencies,
	);
	return options.dryRun ? dryRunApply(context) : install(context);
}

/** What `install` asks before it changes the nodes, and what it does once the operator said yes. */
export type InstallHooks = {
	/** The question; by default whether to apply the cluster to its nodes. */
	readonly question?: string;
	/**
	Checks on the hosts once connected, before anything is shown or asked; a UserError stops with nothing changed
	(add-node makes sure the etcd cluster can take a member here).
	*/
	readonly connected?: (shell: Shell) => Promise<void>;
	/** Runs after the confirmation, before the first step (add-node writes cluster.yaml here). */
	readonly confirmed?: () => Promise<void>;
};

/** The dry run: the plan, what each step would do on each host, and each host's files against the spec. */
export async function dryRunApply(context: ApplyContext): Promise<number> {
	const {options, spec, stateDirectory} = context;
	context.say(planSummary(spec, installSteps(context.installRun(noShell))));
	await runSteps({
		steps: installSteps(context.installRun(noShell)),
		spec,
		files: context.files,
		shell: noShell,
		redact: context.redact,
		onEvent: context.print,
		dryRun: true,
		concurrency: context.concurrency,
		now: context.dependencies.now,
		// Only reading: a dry run shows what a resumed run would skip, and never rewrites the journal.
		...(options.resume ? {journal: await Journal.open(stateDirectory, {resume: true})} : {}),
	});
	const shell = await connect(context);
	try {
		await showFilePlan(context, shell);
	} finally {
		await shell.close();
	}

	return exitCodes.done;
}

const connect = (context: ApplyContext): Promise<Shell> =>
	connectToNodes({
		spec: context.spec,
		options: context.options,
		stateDirectory: context.stateDirectory,
		dependencies: context.dependencies,
		output: context.output,
	});

/** Reads every host's managed files (reading only), compares them with the spec and the record, and shows it. */
async function showFilePlan(context: ApplyContext, shell: Shell): Promise<HostFilePlan[]> {
	const record = appliedDirectory(context.stateDirectory);
	const applied = await readApplied(record);
	const plans = planFiles({
		expected: context.installed,
		masked: context.installedMasked,
		copies: await readHostCopies(shell, context.spec.nodes, context.installed),
		applied,
		maskHost: context.maskHost,
	});
	if (context.format === 'json') {
		for (const plan of plans) {
			context.output.out(JSON.stringify({kind: 'host-files', ...plan}));
		}
	} else {
		context.output.out(formatFilePlan(plans, record, applied.size > 0));
	}

	return plans;
}

/**
Whether the install may overwrite drifted files: yes without drift or with --overwrite-drift; otherwise the
operator at a terminal decides, and --yes (no one to ask) stops.
*/
async function driftAllowed(context: ApplyContext, plans: readonly HostFilePlan[]): Promise<boolean> {
	const {options, dependencies, say} = context;
	const drifted = driftedFiles(plans);
	if (drifted.length === 0 || options.overwriteDrift) {
		return true;
	}

	const files = drifted.join(', ');
	if (options.yes || !dependencies.interactive) {
		say(
			`kubeha stopped before changing anything: ${files} changed on the host since kubeha last applied ${drifted.length === 1 ? 'it' : 'them'} (the difference is above). To keep the change, carry it into ${options.config} (or the templates) first; to replace it with what the spec renders, run again with --overwrite-drift.`,
		);
		return false;
	}

	if (await dependencies.confirm(`Overwrite ${files}, changed on the host since the last apply?`)) {
		return true;
	}

	say('nothing was changed.');
	return false;
}

/**
The install: the plan against the hosts, confirmed (drift too), then the steps over ssh with settled host keys,
journaled, logged, interruptible.
*/
export async function install(context: ApplyContext, hooks: InstallHooks = {}): Promise<number> {
	const {options, spec, dependencies, say} = context;
	if (!options.yes && !dependencies.interactive) {
		throw new UserError(
			`kubeha changes the nodes of ${spec.name}; confirm it in a terminal, or pass --yes (\`kubeha apply --dry-run\` shows what it does).`,
		);
	}

	say(planSummary(spec, installSteps(context.installRun(noShell))));
	const shell = await connect(context);
	try {
		await hooks.connected?.(shell);
		const plans = await showFilePlan(context, shell);
		if (!(await driftAllowed(context, plans))) {
			return exitCodes.failed;
		}

		const question = hooks.question ?? `Apply cluster ${spec.name} to its ${spec.nodes.length} nodes?`;
		if (!options.yes && !(await dependencies.confirm(question))) {
			say('nothing was changed.');
			return exitCodes.failed;
		}

		await hooks.confirmed?.();
		return await runInstall(context, shell);
	} finally {
		await shell.close();
	}
}

/** The steps themselves, once confirmed; records the applied files when every step is done. */
async function runInstall(context: ApplyContext, shell: Shell): Promise<number> {
	const {options, spec, stateDirectory, dependencies, say} = context;
	const journal = await Journal.open(stateDirectory, {resume: options.resume === true});
	const log = await openLogFile(join(stateDirectory, 'logs'), new Date(dependencies.now()), context.redact);
	const stop = new AbortController();
	const resumeCommand = `kubeha apply -c ${options.config} --resume`;
	const view =
		context.format === 'text'
			? dependencies.progressView?.({
					logPath: log.path,
					resumeCommand,
					onAbortRequest: () => stop.abort(new Error('stopped by Ctrl-C')),
				})
			: undefined;
	// With the live view Ctrl-C is a key the view asks about; a SIGINT from elsewhere then stops at once, since
	// a second prompt must not compete with the view for stdin.
	const stopListening = dependencies.onInterrupt(
		interruptHandler(stop, {...dependencies, interactive: dependencies.interactive && !view}),
	);
	let status: keyof typeof exitCodes;
	try {
		({status} = await runSteps({
			steps: installSteps(context.installRun(shell)),
			spec,
			files: context.files,
			shell,
			redact: context.redact,
			onEvent(event) {
				log.onEvent(event);
				if (view) {
					view.push(event);
				} else {
					context.print(event);
				}
			},
			journal,
			signal: stop.signal,
			concurrency: context.concurrency,
			now: dependencies.now,
		}));
	} finally {
		await view?.close();
		stopListening();
		await log.close();
	}

	if (status === 'done') {
		await recordApplied(appliedDirectory(stateDirectory), context.installedMasked);
	}

	// The live view's summary already says all of this.
	if (!view) {
		say(
			status === 'done'
				? `cluster ${spec.name} is installed. The log of this run: ${log.path}`
				: `kubeha apply ${status === 'failed' ? 'failed' : 'stopped'}; the full log is ${log.path}. ${status === 'failed' ? 'Fix the cause, then' : 'When ready,'} run \`${resumeCommand}\` to go on where it stopped.`,
		);
	}

	return exitCodes[status];
}

/**
Ctrl-C: in a terminal, asks whether to stop (a second Ctrl-C while asking stops); otherwise stops at once.
Stopping ends the commands running on the hosts and starts nothing new.
*/
function interruptHandler(stop: AbortController, dependencies: ApplyDependencies): () => void {
	let asking = false;
	const abort = () => stop.abort(new Error('stopped by Ctrl-C'));
	return () => {
		if (stop.signal.aborted) {
			return;
		}

		if (!dependencies.interactive || asking) {
			abort();
			return;
		}

		asking = true;
		dependencies
			.confirm('Stop the install? Commands running on the nodes are ended; --resume goes on later.')
			.then(
				(yes) => yes,
				// The prompt itself interrupted (Ctrl-C again): that is a yes.
				() => true,
			)
			.then((yes) => {
				asking = false;
				if (yes) {
					abort();
				}
			});
	};
}

function outputFormatOf(text = 'text'): OutputFormat {
	if (text !== 'text' && text !== 'json') {
		throw new UserError(`--output ${JSON.stringify(text)} is not an output format: use text or json.`);
	}

	return text;
}

function concurrencyOf(text: string | undefined): number | undefined {
	if (text === undefined) {
		return undefined;
	}

	const value = Number(text);
	if (!Number.isInteger(value) || value < 1) {
		throw new UserError(
			`--concurrency ${JSON.stringify(text)} is not a whole number of hosts from 1 up (how many hosts a step works on at once).`,
		);
	}

	return value;
}
