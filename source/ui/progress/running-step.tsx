import {Box, Text} from 'ink';
import type {HostOutcome} from '../../runner/events.ts';
import {seconds, spinnerAt} from './format.ts';
import {outcomeMarks} from './marks.ts';
import {type HostProgress, keptLinesPerHost, type OutputLine, type RunningStep} from './progress-state.ts';

type Props = {
	readonly step: RunningStep;
	/** The step's place in the plan, from 1. */
	readonly position: number;
	readonly total: number;
	/** Now, by the view's clock. */
	readonly time: number;
};

const lineColors: Record<OutputLine['stream'], string | undefined> = {
	stdout: undefined,
	stderr: 'yellow',
	step: 'cyan',
};

function endedText(outcome: HostOutcome, durationMs: number): string {
	switch (outcome.status) {
		case 'done': {
			return `done in ${seconds(durationMs)}`;
		}

		case 'skipped': {
			return `skipped: ${outcome.reason}`;
		}

		case 'failed': {
			return outcome.exitCode === undefined ? 'failed' : `failed (exit code ${outcome.exitCode})`;
		}

		case 'aborted': {
			return 'stopped';
		}
	}
}

function hostStatus(host: HostProgress, time: number): {mark: string; color?: string; text: string} {
	switch (host.status) {
		case 'waiting': {
			return {mark: '·', color: 'gray', text: 'waiting'};
		}

		case 'running': {
			return {mark: spinnerAt(time), color: 'cyan', text: seconds(time - host.startedAt)};
		}

		case 'ended': {
			return {...outcomeMarks[host.outcome.status], text: endedText(host.outcome, host.durationMs)};
		}
	}
}

/**
The step being run: one row per host with a spinner and the time it has been running, and under each running
host its latest output. The fewer hosts run at once, the more lines each shows (all of them when one runs).

	❯ Install kubeadm, kubelet and kubectl (3/7)
	  ✔ cp1      done in 3.2 s
	  ⠋ cp2      4.4 s
	      Setting up kubelet (1.37.1-1.1) ...
	  · cp3      waiting
*/
export function RunningStepView({step, position, total, time}: Props) {
	const width = Math.max(...step.hosts.map(({host}) => host.length));
	const running = step.hosts.filter((host) => host.status === 'running').length;
	const linesEach = Math.max(1, Math.floor(keptLinesPerHost / Math.max(1, running)));
	return (
		<Box flexDirection="column">
			<Text bold color="cyan">{`❯ ${step.title} (${position}/${total})`}</Text>
			{step.hosts.map((host) => {
				const {mark, color, text} = hostStatus(host, time);
				return (
					<Box key={host.host} flexDirection="column">
						<Text wrap="truncate-end">
							{'  '}
							<Text color={color}>{mark}</Text>
							{` ${host.host.padEnd(width)}  ${text}`}
						</Text>
						{host.status === 'running'
							? host.lines.slice(-linesEach).map((line, index) => (
									// Lines repeat; their place is their identity.
									// biome-ignore lint/suspicious/noArrayIndexKey: see above
									<Text key={index} color={lineColors[line.stream]} dimColor wrap="truncate-end">
										{`      ${line.text}`}
									</Text>
								))
							: undefined}
					</Box>
				);
			})}
		</Box>
	);
}
