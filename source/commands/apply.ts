import {randomUUID} from 'node:crypto';
import {mkdir} from 'node:fs/promises';
import {dirname, join, resolve} from 'node:path';
import {confirm} from '@inquirer/prompts';
import {installSteps} from '../../steps/index.ts';
import type {InstallRun} from '../../steps/support/install-run.ts';
import {UserError} from '../io/user-error.ts';
import {renderCluster} from '../render/index.ts';
import type {HostFiles} from '../render/types.ts';
import type {RunEvent} from '../runner/events.ts';
import {Journal} from '../runner/journal.ts';
import {openLogFile} from '../runner/log-file.ts';
import type {Redact} from '../runner/redact.ts';
import {redactor} from '../runner/redact.ts';
import {runSteps} from '../runner/runner.ts';
import type {Shell} from '../runner/shell.ts';
import {openSshShell} from '../runner/ssh-shell.ts';
import {maskSecrets} from '../secrets/mask.ts';
import type {ClusterSpec} from '../spec/cluster.ts';
import {eventQueue, renderApplyProgress} from '../ui/progress/index.ts';
import {formatEvent, type OutputFormat} from './apply-output.ts';
import {fileChanges, formatFileChanges, planSummary} from './apply-plan.ts';
import {appliedDirectory, readApplied, recordApplied} from './apply-record.ts';
import {confirmHostKeys, parseSshOptions} from './apply-ssh.ts';
import {type ConnectDependencies, type ConnectOptions, connectToNodes} from './connect.ts';
import type {CommandOutput} from './io.ts';
import {prepare} from './prepare.ts';

export type ApplyOptions = ConnectOptions & {
	readonly config: string;
	readonly dryRun?: boolean;
	readonly resume?: boolean;
	readonly yes?: boolean;
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
	interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
	confirm: (message) => confirm({message, default: false}),
	openShell: openSshShell,
	confirmHostKeys,
	onInterrupt(handler) {
		process.on('SIGINT', handler);
		return () => process.off('SIGINT', handler);
	},
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
type ApplyContext = {
	readonly options: ApplyOptions;
	readonly output: CommandOutput;
	readonly dependencies: ApplyDependencies;
	readonly spec: ClusterSpec;
	/** Rendered with the secrets, for the hosts. */
	readonly files: readonly HostFiles[];
	/** Rendered with the secrets masked, for the record of what was applied and the dry run's diffs. */
	readonly masked: readonly HostFiles[];
	readonly redact: Redact;
	readonly stateDirectory: string;
	readonly concurrency: number | undefined;
	/** Prints a runner event in the chosen format. */
	readonly print: (event: RunEvent) => void;
	/** Prints words for the operator: stdout, or stderr when stdout carries JSON. */
	readonly say: (text: string) => void;
	readonly installRun: (shell: Shell) => InstallRun;
};

/**
`kubeha apply`: installs the cluster the spec describes, step by step on its nodes over ssh, skipping what is
in place; `--dry-run` shows what it would do and touches no host.
*/
export async function applyCommand(
	options: ApplyOptions,
	output: CommandOutput,
	dependencies: ApplyDependencies = processApplyDependencies(),
): Promise<number> {
	const format = outputFormatOf(options.output);
	const concurrency = concurrencyOf(options.concurrency);
	// Malformed --ssh-options are the operator's to fix before anything else happens.
	parseSshOptions(options.sshOption ?? []);
	const {spec, secretsFile, templates} = await prepare(options.config, output);
	const {secrets} = secretsFile;
	const stateDirectory = stateDirectoryFor(options.config);
	await mkdir(stateDirectory, {recursive: true, mode: 0o700});
	const context: ApplyContext = {
		options,
		output,
		dependencies,
		spec,
		files: renderCluster(spec, secrets, templates),
		masked: renderCluster(spec, maskSecrets(secrets), templates),
		redact: redactor(secrets),
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
	if (options.dryRun) {
		return describe(context, format);
	}

	if (!options.yes && !dependencies.interactive) {
		throw new UserError(
			`kubeha apply changes the nodes of ${spec.name}; confirm it in a terminal, or pass --yes (\`kubeha apply --dry-run\` shows what it does).`,
		);
	}

	return install(context);
}

/** The dry run: the plan, what each step would do on each host, and the files that changed since the last apply. */
async function describe(context: ApplyContext, format: OutputFormat): Promise<number> {
	const {options, spec, stateDirectory, output} = context;
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
	const record = appliedDirectory(stateDirectory);
	const changes = fileChanges(context.masked, await readApplied(record));
	if (format === 'json') {
		for (const change of changes) {
			output.out(JSON.stringify({kind: 'file-change', ...change}));
		}
	} else {
		output.out(
			formatFileChanges(
				changes,
				record,
				changes.some((change) => change.status !== 'new'),
			),
		);
	}

	return exitCodes.done;
}

/** The install: confirmed, over ssh with settled host keys, journaled, logged, interruptible. */
async function install(context: ApplyContext): Promise<number> {
	const {options, spec, stateDirectory, dependencies, say} = context;
	say(planSummary(spec, installSteps(context.installRun(noShell))));
	if (!options.yes && !(await dependencies.confirm(`Apply cluster ${spec.name} to its ${spec.nodes.length} nodes?`))) {
		say('nothing was changed.');
		return exitCodes.failed;
	}

	const shell = await connectToNodes({spec, options, stateDirectory, dependencies, output: context.output});
	const journal = await Journal.open(stateDirectory, {resume: options.resume === true});
	const log = await openLogFile(join(stateDirectory, 'logs'), new Date(dependencies.now()), context.redact);
	const stop = new AbortController();
	const resumeCommand = `kubeha apply -c ${options.config} --resume`;
	const view =
		(options.output ?? 'text') === 'text'
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
		await shell.close();
		await log.close();
	}

	if (status === 'done') {
		await recordApplied(appliedDirectory(stateDirectory), context.masked);
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
