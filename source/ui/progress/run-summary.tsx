import {Box, Text} from 'ink';
import {seconds} from './format.ts';
import type {HostSummary} from './host-summary.ts';
import {outcomeMarks} from './marks.ts';
import type {RunEnd} from './progress-state.ts';

type Props = {
	readonly end: RunEnd;
	readonly dryRun: boolean;
	readonly hosts: readonly HostSummary[];
	/** The run's log file, with every line the view left out. */
	readonly logPath?: string;
	/** The command that goes on where this run stopped. */
	readonly resumeCommand?: string;
};

function headline({status, durationMs}: RunEnd, dryRun: boolean): string {
	const time = seconds(durationMs);
	if (dryRun) {
		return status === 'done' ? `Dry run done in ${time}: nothing was changed on any host` : `Dry run ${status}`;
	}

	return status === 'done'
		? `Install done in ${time}`
		: status === 'failed'
			? `Install failed after ${time}`
			: `Install stopped after ${time}; the journal is kept`;
}

function hostLine(host: HostSummary, dryRun: boolean): {mark: string; color: string; text: string} {
	const parts = [
		...(host.failedAt ? [`failed at ${host.failedAt}`] : []),
		...(host.stoppedAt ? [`stopped in ${host.stoppedAt}`] : []),
		`${host.done} ${dryRun ? 'described' : 'done'}`,
		...(host.skipped > 0 ? [`${host.skipped} skipped`] : []),
		...(host.notReached > 0 ? [`${host.notReached} not reached`] : []),
	];
	const look = host.failedAt
		? outcomeMarks.failed
		: host.stoppedAt
			? outcomeMarks.aborted
			: host.notReached > 0
				? {mark: '·', color: 'gray'}
				: outcomeMarks.done;
	return {...look, text: parts.join(' · ')};
}

/**
How the run ended, per host, where the full log is and, unless it finished, how to go on.

	✖ Install failed after 24.4 s
	  ✔ cp1      4 done · 1 skipped
	  ✖ cp2      failed at Join the other control planes · 3 done · 1 skipped
	  Full log: /home/op/.kubeha/logs/run-2026-01-12T09-30-00.000Z.log
	  After fixing the cause, go on with: kubeha apply -c cluster.yaml --resume
*/
export function RunSummary({end, dryRun, hosts, logPath, resumeCommand}: Props) {
	const {mark, color} = outcomeMarks[end.status];
	const width = Math.max(0, ...hosts.map(({host}) => host.length));
	const goOn = end.status === 'failed' ? 'After fixing the cause, go on with' : 'Go on with';
	return (
		<Box flexDirection="column" marginTop={1}>
			<Text bold color={color}>{`${mark} ${headline(end, dryRun)}`}</Text>
			{hosts.map((host) => {
				const line = hostLine(host, dryRun);
				return (
					<Text key={host.host}>
						{'  '}
						<Text color={line.color}>{line.mark}</Text>
						{` ${host.host.padEnd(width)}  ${line.text}`}
					</Text>
				);
			})}
			{logPath === undefined ? undefined : <Text>{`  Full log: ${logPath}`}</Text>}
			{end.status === 'done' || dryRun || resumeCommand === undefined ? undefined : (
				<Text>{`  ${goOn}: ${resumeCommand}`}</Text>
			)}
		</Box>
	);
}
