import {createWriteStream} from 'node:fs';
import {mkdir} from 'node:fs/promises';
import {join} from 'node:path';
import {finished} from 'node:stream/promises';
import type {HostOutcome, RunEvent, RunEventListener} from './events.ts';
import type {Redact} from './redact.ts';

/** The full trace of one run, on disk: what the UI shows only in part. Its path is what to print on failure. */
export type LogFile = {
	readonly path: string;
	/** Subscribe this to the runner's events. */
	readonly onEvent: RunEventListener;
	close(): Promise<void>;
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function outcomeText(outcome: HostOutcome): string {
	switch (outcome.status) {
		case 'done':
		case 'aborted': {
			return outcome.status;
		}

		case 'skipped': {
			return `skipped: ${outcome.reason}`;
		}

		case 'failed': {
			return `failed${outcome.exitCode === undefined ? '' : ` (exit code ${outcome.exitCode})`}: ${outcome.error}`;
		}
	}
}

function eventText(event: RunEvent): string {
	switch (event.kind) {
		case 'run-start': {
			return `run started${event.dryRun ? ' (dry run)' : ''}: ${event.steps.map((step) => step.stepId).join(', ')}`;
		}

		case 'step-start': {
			return `step ${event.stepId} (${event.title}) on ${event.hosts.join(', ') || 'no host'}`;
		}

		case 'host-start': {
			return `[${event.host}] ${event.stepId} started`;
		}

		case 'line': {
			return `[${event.host}] ${event.stepId} ${event.stream}| ${event.text}`;
		}

		case 'dry': {
			return `[${event.host}] ${event.stepId} would: ${event.text}`;
		}

		case 'host-end': {
			return `[${event.host}] ${event.stepId} ${outcomeText(event.outcome)} in ${seconds(event.durationMs)}`;
		}

		case 'step-end': {
			return `step ${event.stepId} ${event.status} in ${seconds(event.durationMs)}`;
		}

		case 'run-end': {
			const failures = event.failures.map((f) => `\n  [${f.host}] ${f.stepId}: ${f.error}`);
			return `run ${event.status} in ${seconds(event.durationMs)}${failures.join('')}`;
		}
	}
}

/** One event as log text: each line stamped with the event's time (UTC) and redacted. */
export const formatLogEvent = (event: RunEvent, redact: Redact): string =>
	redact(eventText(event))
		.split('\n')
		.map((line) => `${new Date(event.at).toISOString()} ${line}\n`)
		.join('');

/**
Opens `<directory>/run-<start time>.log` (mode 0600) for appending. The runner redacts events already; this
redacts again so the file stays clean whatever feeds it.
*/
export async function openLogFile(directory: string, startedAt: Date, redact: Redact): Promise<LogFile> {
	await mkdir(directory, {recursive: true});
	const path = join(directory, `run-${startedAt.toISOString().replaceAll(':', '-')}.log`);
	const stream = createWriteStream(path, {flags: 'a', mode: 0o600});
	return {
		path,
		onEvent(event) {
			stream.write(formatLogEvent(event, redact));
		},
		async close() {
			stream.end();
			await finished(stream);
		},
	};
}
