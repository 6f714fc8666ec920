import {Box, Static} from 'ink';
import {useEffect, useRef} from 'react';
import type {RunEvent} from '../../runner/events.ts';
import {AbortPrompt} from './abort-prompt.tsx';
import {FinishedStepView} from './finished-step.tsx';
import {hostSummaries} from './host-summary.ts';
import type {RunEnd} from './progress-state.ts';
import {RunSummary} from './run-summary.tsx';
import {RunningStepView} from './running-step.tsx';
import {useAbortConfirm} from './use-abort-confirm.ts';
import {useClock} from './use-clock.ts';
import {useRunEvents} from './use-run-events.ts';

/** How the view's run ended: the runner's run-end, or none when the events stopped (or failed: error) before it. */
export type ProgressEnd = {readonly end: RunEnd | undefined; readonly error?: unknown};

export type ApplyProgressProps = {
	/** The runner's events (eventQueue() turns its onEvent into this). */
	readonly events: AsyncIterable<RunEvent>;
	/** Called once the operator confirmed Ctrl-C: abort the runner's signal. The view shows the run winding down. */
	readonly onAbortRequest: () => void;
	/** The run's log file, shown at the end. */
	readonly logPath?: string;
	/** How to go on after a failure or a stop, e.g. `kubeha apply -c cluster.yaml --resume`. */
	readonly resumeCommand?: string;
	/** Clock for elapsed times and the spinner; tests pass a fixed one. */
	readonly now?: () => number;
	/** Events arriving within this many milliseconds are drawn as one update. */
	readonly flushMs?: number;
	/** Called once, after the frame showing the end. */
	readonly onEnd?: (end: ProgressEnd) => void;
};

/**
The install on screen. Finished steps stay above (ink Static); below them the running step's hosts, then the
Ctrl-C hint or question; at the end a summary per host with the log path and how to resume.

	✔ Prerequisites  cp1 cp2 cp3 worker1 worker2 (5.2 s)
	❯ Install kubeadm, kubelet and kubectl (3/7)
	  ⠋ cp1      2.0 s
	      Setting up kubelet (1.37.1-1.1) ...
	  · cp3      waiting
	Ctrl-C stop the install
*/
export function ApplyProgress({
	events,
	onAbortRequest,
	logPath,
	resumeCommand,
	now = Date.now,
	flushMs = 50,
	onEnd,
}: ApplyProgressProps) {
	const {state, sourceEnd} = useRunEvents(events, flushMs);
	const ended = state.end !== undefined || sourceEnd !== undefined;
	const time = useClock(now, !ended);
	const confirm = useAbortConfirm(onAbortRequest, !ended);
	const reported = useRef(false);
	useEffect(() => {
		if (ended && !reported.current) {
			reported.current = true;
			onEnd?.({end: state.end, error: sourceEnd?.error});
		}
	}, [ended, state.end, sourceEnd, onEnd]);
	const {running, plan, end} = state;
	return (
		<Box flexDirection="column">
			<Static items={[...state.finished]}>{(step) => <FinishedStepView key={step.stepId} step={step} />}</Static>
			{running && !end ? (
				<RunningStepView
					step={running}
					position={plan.findIndex((step) => step.stepId === running.stepId) + 1}
					total={plan.length}
					time={time}
				/>
			) : undefined}
			{end ? (
				<RunSummary
					end={end}
					dryRun={state.dryRun}
					hosts={hostSummaries(state)}
					{...(logPath === undefined ? {} : {logPath})}
					{...(resumeCommand === undefined ? {} : {resumeCommand})}
				/>
			) : ended ? undefined : (
				<AbortPrompt state={confirm} />
			)}
		</Box>
	);
}
