import type {HostOutcome, RunEvent} from '../runner/events.ts';

/** How `kubeha apply` prints the run without a terminal view: timestamped lines, or one JSON object per event. */
export type OutputFormat = 'text' | 'json';

/** The time of an event as text lines show it. */
export type TimeFormat = (at: number) => string;

/** HH:MM:SS on the operator's clock. */
const localTime: TimeFormat = (at) => {
	const date = new Date(at);
	return [date.getHours(), date.getMinutes(), date.getSeconds()].map((part) => String(part).padStart(2, '0')).join(':');
};

/** `4.2 s`, `3 min 5 s`. */
export function duration(ms: number): string {
	const seconds = ms / 1000;
	if (seconds < 60) {
		return `${seconds.toFixed(1)} s`;
	}

	const whole = Math.round(seconds);
	return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

/** How many of a failed host's last lines the summary repeats (the log file has them all). */
const failureLinesShown = 5;

function outcomeText(stepId: string, outcome: HostOutcome, durationMs: number, dryRun: boolean): string | undefined {
	switch (outcome.status) {
		case 'done': {
			return dryRun ? undefined : `${stepId} done (${duration(durationMs)})`;
		}

		case 'skipped': {
			return `${stepId} skipped: ${outcome.reason}`;
		}

		case 'failed': {
			return `${stepId} FAILED${outcome.exitCode === undefined ? '' : ` (exit code ${outcome.exitCode})`}: ${outcome.error}`;
		}

		case 'aborted': {
			return `${stepId} aborted`;
		}
	}
}

function eventText(event: RunEvent, dryRun: boolean): string | undefined {
	switch (event.kind) {
		case 'run-start': {
			return event.dryRun
				? `dry run of ${event.steps.length} steps: what each would do on each host; nothing on the hosts changes`
				: `applying ${event.steps.length} steps`;
		}

		case 'step-start': {
			return `==> ${event.stepId}: ${event.title} (${event.hosts.join(', ') || 'no host for this spec'})`;
		}

		case 'host-start': {
			return undefined;
		}

		case 'line':
		case 'dry': {
			return `[${event.host}] ${event.text}`;
		}

		case 'host-end': {
			const text = outcomeText(event.stepId, event.outcome, event.durationMs, dryRun);
			return text === undefined ? undefined : `[${event.host}] ${text}`;
		}

		case 'step-end': {
			return dryRun ? undefined : `<== ${event.stepId} ${event.status} (${duration(event.durationMs)})`;
		}

		case 'run-end': {
			const failures = event.failures.flatMap((failure) => [
				`  [${failure.host}] ${failure.stepId}: ${failure.error}`,
				...failure.lastLines.slice(-failureLinesShown).map((line) => `      | ${line}`),
			]);
			return [`${dryRun ? 'dry run' : 'apply'} ${event.status} in ${duration(event.durationMs)}`, ...failures].join(
				'\n',
			);
		}
	}
}

/**
One runner event as output: JSON (every event, as it is) or text lines stamped with the event's time (undefined
for events the text leaves out, like a host starting). Pure. The runner has redacted every text already.
*/
export function formatEvent(
	event: RunEvent,
	{format, dryRun = false, time = localTime}: {format: OutputFormat; dryRun?: boolean; time?: TimeFormat},
): string | undefined {
	if (format === 'json') {
		return JSON.stringify(event);
	}

	const text = eventText(event, dryRun);
	return text
		?.split('\n')
		.map((line) => `${time(event.at)} ${line}`)
		.join('\n');
}
