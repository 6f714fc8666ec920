import type {HostOutcome} from '../../runner/events.ts';

/** The mark and colour of each way a host or a step can end, the same in every part of the view. */
export const outcomeMarks: Record<HostOutcome['status'], {readonly mark: string; readonly color: string}> = {
	done: {mark: '✔', color: 'green'},
	skipped: {mark: '–', color: 'gray'},
	failed: {mark: '✖', color: 'red'},
	aborted: {mark: '■', color: 'yellow'},
};
