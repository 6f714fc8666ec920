import {Box, Text} from 'ink';

/** A step as the progress panel lists it. */
export type StepEntry = {
	readonly id: string;
	readonly title: string;
	readonly status: 'done' | 'current' | 'upcoming';
	/** What was chosen on it; shown under done steps. */
	readonly summary: string;
};

type Props = {readonly entries: readonly StepEntry[]; readonly width: number};

const marks = {done: '✔', current: '❯', upcoming: '·'} as const;

/**
Where the operator is and what is chosen so far.

	✔ Topology
	  prod: 3 control planes, stacked…
	❯ Nodes
	· Virtual IP
*/
export function StepList({entries, width}: Props) {
	return (
		<Box flexDirection="column" width={width} flexShrink={0} marginRight={1}>
			{entries.map((entry) => (
				<Box key={entry.id} flexDirection="column">
					<Text bold={entry.status === 'current'} color={entry.status === 'current' ? 'cyan' : undefined}>
						{`${marks[entry.status]} ${entry.title}`}
					</Text>
					{entry.status === 'done' && entry.summary !== '' ? (
						<Text dimColor wrap="truncate-end">{`  ${entry.summary}`}</Text>
					) : undefined}
				</Box>
			))}
		</Box>
	);
}
