import type {ProgressState} from './progress-state.ts';

/** How one host fared over the whole run. */
export type HostSummary = {
	readonly host: string;
	readonly done: number;
	readonly skipped: number;
	/** Title of the step that failed on the host. */
	readonly failedAt?: string;
	/** Title of the step the host was in when the run was stopped. */
	readonly stoppedAt?: string;
	/** Planned steps the run ended before. */
	readonly notReached: number;
};

/** Every host of the plan, in the order the plan first names it, with what happened to it. */
export function hostSummaries({plan, finished}: ProgressState): HostSummary[] {
	const summaries = new Map<string, {-readonly [K in keyof HostSummary]: HostSummary[K]}>();
	for (const step of plan) {
		const results = finished.find((done) => done.stepId === step.stepId)?.hosts ?? [];
		for (const host of step.hosts) {
			const summary = summaries.get(host) ?? {host, done: 0, skipped: 0, notReached: 0};
			summaries.set(host, summary);
			const outcome = results.find((result) => result.host === host)?.outcome;
			switch (outcome?.status) {
				case 'done':
				case 'skipped': {
					summary[outcome.status]++;
					break;
				}

				case 'failed': {
					summary.failedAt = step.title;
					break;
				}

				case 'aborted': {
					summary.stoppedAt = step.title;
					break;
				}

				case undefined: {
					summary.notReached++;
				}
			}
		}
	}

	return [...summaries.values()];
}
