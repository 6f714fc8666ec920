import type {HostView, Step, StepContext} from '../../steps/types.ts';
import type {HostFiles} from '../render/types.ts';
import type {NodeSpec} from '../spec/schema.ts';
import type {HostOutcome, LineStream} from './events.ts';
import type {RunnerOptions} from './runner.ts';
import {bindShell, CommandError, sh} from './shell.ts';
import {specHash} from './spec-hash.ts';

/** What running one step on one host needs: the runner's options, with the signal and clock settled. */
export type HostRunOptions = Omit<RunnerOptions, 'steps' | 'concurrency' | 'signal' | 'now'> & {
	readonly signal: AbortSignal;
	readonly now: () => number;
};

/** How many of a host's last lines a failure reports. */
const lastLinesKept = 20;

/**
Runs one step on one host between a host-start and a host-end event, and never throws: what went wrong is in
the outcome, with its text redacted.
*/
export async function runHost(step: Step, host: NodeSpec, options: HostRunOptions): Promise<HostOutcome> {
	const {onEvent, now, redact} = options;
	const started = now();
	const where = {stepId: step.id, host: host.name};
	onEvent({kind: 'host-start', at: started, ...where});
	const lastLines: string[] = [];
	const keep = (text: string) => {
		const redacted = redact(text);
		lastLines.push(redacted);
		lastLines.splice(0, lastLines.length - lastLinesKept);
		return redacted;
	};

	const emitters: Emitters = {
		line: (stream, text) => onEvent({kind: 'line', at: now(), ...where, stream, text: keep(text)}),
		dry: (text) => onEvent({kind: 'dry', at: now(), ...where, text: keep(text)}),
	};
	let outcome: HostOutcome;
	try {
		outcome = await attempt(step, {host, spec: options.spec, files: filesOf(options.files, host)}, options, emitters);
	} catch (error) {
		outcome = options.signal.aborted
			? {status: 'aborted'}
			: {status: 'failed', error: redact(messageOf(error)), ...exitCodeOf(error), lastLines: [...lastLines]};
	}

	const ended = now();
	onEvent({kind: 'host-end', at: ended, ...where, durationMs: ended - started, outcome});
	return outcome;
}

type Emitters = {
	readonly line: (stream: LineStream, text: string) => void;
	readonly dry: (text: string) => void;
};

/** Skips what the journal holds; otherwise describes (dry run) or runs. */
async function attempt(step: Step, view: HostView, options: HostRunOptions, emitters: Emitters): Promise<HostOutcome> {
	// By default a step depends on the whole spec and this host's files: hashed apart, each once per run.
	const hash = specHash(step.dependsOn ? step.dependsOn(view) : [specHash(view.spec), specHash(view.files)]);
	if (options.journal?.isFinished(view.host.name, step.id, hash)) {
		return {status: 'skipped', reason: 'finished in an earlier run, and what it depends on has not changed'};
	}

	if (options.dryRun) {
		for (const line of step.dryRun(view)) {
			emitters.dry(line);
		}

		return {status: 'done'};
	}

	return perform(step, stepContext(view, options, emitters.line), hash, options);
}

async function perform(
	step: Step,
	ctx: StepContext,
	hash: string,
	{journal, redact, now}: HostRunOptions,
): Promise<HostOutcome> {
	const decision = step.shouldRun ? await step.shouldRun(ctx) : true;
	if (decision !== true) {
		return {status: 'skipped', reason: redact(decision)};
	}

	await journal?.forget(ctx.host.name, step.id);
	await step.run(ctx);
	await journal?.finish(ctx.host.name, step.id, hash, new Date(now()));
	return {status: 'done'};
}

function stepContext(
	view: HostView,
	{shell, signal}: HostRunOptions,
	line: (stream: LineStream, text: string) => void,
): StepContext {
	const hostShell = bindShell(shell, view.host, {signal, onLine: (text, stream) => line(stream, text)});
	return {
		...view,
		shell: hostShell,
		$: (pieces, ...args) => hostShell.run(sh(pieces, ...args)),
		emit: (text) => {
			for (const part of text.split('\n')) {
				line('step', part);
			}
		},
		signal,
	};
}

const filesOf = (files: readonly HostFiles[], host: NodeSpec) => files.find((f) => f.node === host.name)?.files ?? [];
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The exit code of the failed command behind an error, also when a step wrapped it (`{cause}`). */
function exitCodeOf(error: unknown): {exitCode?: number} {
	for (let current = error; current instanceof Error; current = current.cause) {
		if (current instanceof CommandError) {
			return {exitCode: current.exitCode};
		}
	}

	return {};
}
