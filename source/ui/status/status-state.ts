import type {StatusReport} from '../../status/report.ts';

/** What the status view shows: the latest report, whether a probe runs, and why the last one failed. */
export type StatusViewState = {
	readonly report?: StatusReport;
	readonly probing: boolean;
	/** The last probe failed (the previous report, if any, stays shown). */
	readonly error?: string;
};

export type StatusAction =
	| {readonly type: 'probe-started'}
	| {readonly type: 'probe-finished'; readonly report: StatusReport}
	| {readonly type: 'probe-failed'; readonly error: string};

/** The view probes as soon as it is shown. */
export const initialStatusViewState: StatusViewState = {probing: true};

export function statusViewReducer(state: StatusViewState, action: StatusAction): StatusViewState {
	switch (action.type) {
		case 'probe-started': {
			return {...state, probing: true};
		}

		case 'probe-finished': {
			return {report: action.report, probing: false};
		}

		case 'probe-failed': {
			return {...(state.report ? {report: state.report} : {}), probing: false, error: action.error};
		}
	}
}
