import {stripVTControlCharacters} from 'node:util';
import type {HostFailure, HostOutcome, LineStream, PlannedStep, RunEvent, RunStatus} from '../../runner/events.ts';

/** How many of a running host's latest output lines the view keeps (the log file has them all). */
export const keptLinesPerHost = 5;

/** One line of a host's output as the view shows it. */
export type OutputLine = {readonly stream: LineStream; readonly text: string};

/** A host of the running step. */
export type HostProgress =
	| {readonly host: string; readonly status: 'waiting'}
	| {
			readonly host: string;
			readonly status: 'running';
			readonly startedAt: number;
			/** The latest lines, newest last, at most keptLinesPerHost. */
			readonly lines: readonly OutputLine[];
	  }
	| {readonly host: string; readonly status: 'ended'; readonly durationMs: number; readonly outcome: HostOutcome};

/** The step the runner is working on. */
export type RunningStep = {
	readonly stepId: string;
	readonly title: string;
	readonly startedAt: number;
	/** In the order the step lists them. */
	readonly hosts: readonly HostProgress[];
	/** What a dry run would do, per host, in the order described. */
	readonly described: readonly DryLine[];
};

export type DryLine = {readonly host: string; readonly text: string};

/** A host's part of a finished step; no outcome when the run stopped before the host started. */
export type HostResult = {readonly host: string; readonly outcome?: HostOutcome; readonly durationMs?: number};

/** A step the runner finished (or stopped), as it stays on screen. */
export type FinishedStep = {
	readonly stepId: string;
	readonly title: string;
	readonly status: RunStatus;
	readonly durationMs: number;
	readonly hosts: readonly HostResult[];
	readonly described: readonly DryLine[];
};

export type RunEnd = {
	readonly status: RunStatus;
	readonly durationMs: number;
	readonly failures: readonly HostFailure[];
};

/** Everything the progress view shows, built from the runner's events only. */
export type ProgressState = {
	readonly plan: readonly PlannedStep[];
	readonly dryRun: boolean;
	readonly running?: RunningStep;
	/** Oldest first. */
	readonly finished: readonly FinishedStep[];
	readonly end?: RunEnd;
};

export const initialProgressState: ProgressState = {plan: [], dryRun: false, finished: []};

/**
Output as one screen line: what a carriage return overwrote (progress bars) is dropped, tabs become spaces and
terminal control sequences go, so a host's output cannot move the cursor or recolour the view.
*/
export const screenLine = (text: string): string =>
	stripVTControlCharacters(text.slice(text.lastIndexOf('\r') + 1)).replaceAll('\t', '  ');

/** The state after one event. Events that do not fit the state (a host of another step) change nothing. */
export function progressReducer(state: ProgressState, event: RunEvent): ProgressState {
	switch (event.kind) {
		case 'run-start': {
			return {...initialProgressState, plan: event.steps, dryRun: event.dryRun};
		}

		case 'step-start': {
			const hosts = event.hosts.map((host) => ({host, status: 'waiting'}) as const);
			const {stepId, title, at} = event;
			return {...state, running: {stepId, title, startedAt: at, hosts, described: []}};
		}

		case 'host-start': {
			return updateHost(state, event, () => ({host: event.host, status: 'running', startedAt: event.at, lines: []}));
		}

		case 'line': {
			const line = {stream: event.stream, text: screenLine(event.text)};
			return updateHost(state, event, (host) =>
				host.status === 'running' ? {...host, lines: [...host.lines, line].slice(-keptLinesPerHost)} : host,
			);
		}

		case 'dry': {
			const {running} = state;
			return running?.stepId === event.stepId
				? {...state, running: {...running, described: [...running.described, {host: event.host, text: event.text}]}}
				: state;
		}

		case 'host-end': {
			const {durationMs, outcome} = event;
			return updateHost(state, event, () => ({host: event.host, status: 'ended', durationMs, outcome}));
		}

		case 'step-end': {
			const {running} = state;
			if (running?.stepId !== event.stepId) {
				return state;
			}

			const {stepId, title, described} = running;
			const step = {stepId, title, status: event.status, durationMs: event.durationMs, described};
			const finished = {...step, hosts: running.hosts.map(hostResult)};
			return {...state, running: undefined, finished: [...state.finished, finished]};
		}

		case 'run-end': {
			const {status, durationMs, failures} = event;
			return {...state, running: undefined, end: {status, durationMs, failures}};
		}
	}
}

/** The state after a batch of events, in order: the view applies what arrived since its last frame at once. */
export const reduceEvents = (state: ProgressState, events: readonly RunEvent[]): ProgressState =>
	events.reduce(progressReducer, state);

function updateHost(
	state: ProgressState,
	where: {readonly stepId: string; readonly host: string},
	change: (host: HostProgress) => HostProgress,
): ProgressState {
	const {running} = state;
	if (running?.stepId !== where.stepId || !running.hosts.some(({host}) => host === where.host)) {
		return state;
	}

	const hosts = running.hosts.map((host) => (host.host === where.host ? change(host) : host));
	return {...state, running: {...running, hosts}};
}

const hostResult = (host: HostProgress): HostResult =>
	host.status === 'ended' ? {host: host.host, outcome: host.outcome, durationMs: host.durationMs} : {host: host.host};
