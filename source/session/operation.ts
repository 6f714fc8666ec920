import {join} from 'node:path';
import type {Step} from '../../steps/types.ts';
import type {HostFiles} from '../render/types.ts';
import type {RunEvent, RunStatus} from '../runner/events.ts';
import {Journal, journalFileName} from '../runner/journal.ts';
import {openLogFile} from '../runner/log-file.ts';
import type {Redact} from '../runner/redact.ts';
import {runSteps} from '../runner/runner.ts';
import type {Shell} from '../runner/shell.ts';
import type {ClusterSpec} from '../spec/cluster.ts';
import type {Session} from './session.ts';

/** Exit codes of every acting command: it is done, it failed, or the operator stopped it. */
export const exitCodes = {done: 0, failed: 1, aborted: 130} as const;

/** One run of steps that changes the nodes, as every acting command (apply, add-node, remove-node…) hands it over. */
export type Operation = {
	/** The command's name: it names the journal, so that each operation resumes only its own steps. */
	readonly name: string;
	/** What Ctrl-C asks to stop, e.g. "the install". */
	readonly what: string;
	readonly steps: readonly Step[];
	readonly spec: ClusterSpec;
	readonly files: readonly HostFiles[];
	readonly shell: Shell;
	readonly redact: Redact;
	/** --resume: skip the steps the journal holds as finished (unless what they depend on changed). */
	readonly resume: boolean;
	/** How the operator goes on after a failure or Ctrl-C; the live view says it. */
	readonly resumeCommand: string;
	/** Whether a live view may show the run (text output on a terminal); otherwise its events are printed. */
	readonly live: boolean;
	readonly print: (event: RunEvent) => void;
	readonly concurrency?: number | undefined;
};

export type OperationResult = {
	readonly status: RunStatus;
	readonly logPath: string;
	/** A live view showed the run, and its summary said how it ended. */
	readonly shown: boolean;
};

/** apply's journal keeps its first name, so that a run stopped by an earlier kubeha still resumes. */
const journalFile = (name: string) => (name === 'apply' ? journalFileName : `${name}.${journalFileName}`);

/**
Runs the steps once the operator agreed: journaled (so that --resume goes on), logged in full under
`<state directory>/logs`, shown live or printed, and stopped by Ctrl-C.
*/
export async function runOperation(session: Session, operation: Operation): Promise<OperationResult> {
	const {dependencies, stateDirectory} = session;
	const journal = await Journal.open(stateDirectory, {resume: operation.resume, file: journalFile(operation.name)});
	const log = await openLogFile(join(stateDirectory, 'logs'), new Date(dependencies.now()), operation.redact);
	const stop = new AbortController();
	const abort = () => stop.abort(new Error('stopped by Ctrl-C'));
	const view = operation.live
		? dependencies.progressView?.({logPath: log.path, resumeCommand: operation.resumeCommand, onAbortRequest: abort})
		: undefined;
	// With the live view Ctrl-C is a key the view asks about; a SIGINT from elsewhere then stops at once, since
	// a second prompt must not compete with the view for stdin.
	const stopListening = dependencies.onInterrupt(
		interruptHandler(
			stop.signal,
			abort,
			dependencies.interactive && !view ? {session, what: operation.what} : undefined,
		),
	);
	try {
		const {status} = await runSteps({
			steps: operation.steps,
			spec: operation.spec,
			files: operation.files,
			shell: operation.shell,
			redact: operation.redact,
			onEvent(event) {
				log.onEvent(event);
				(view ? view.push : operation.print)(event);
			},
			journal,
			signal: stop.signal,
			concurrency: operation.concurrency,
			now: dependencies.now,
		});
		return {status, logPath: log.path, shown: view !== undefined};
	} finally {
		await view?.close();
		stopListening();
		await log.close();
	}
}

/**
Ctrl-C: in a terminal, asks whether to stop (a second Ctrl-C while asking stops); otherwise stops at once.
Stopping ends the commands running on the hosts and starts nothing new.
*/
function interruptHandler(
	signal: AbortSignal,
	abort: () => void,
	ask: {readonly session: Session; readonly what: string} | undefined,
): () => void {
	let asking = false;
	return () => {
		if (signal.aborted) {
			return;
		}

		if (!ask || asking) {
			abort();
			return;
		}

		asking = true;
		ask.session.dependencies
			.confirm(`Stop ${ask.what}? Commands running on the nodes are ended; --resume goes on later.`)
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
