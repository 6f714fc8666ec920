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

/** The text cut at the last whole word that fits in `width` columns, with an ellipsis when anything was cut. */
export function cutAtWord(text: string, width: number): string {
	if ([...text].length <= width) {
		return text;
	}

	const room = [...text].slice(0, width - 1).join('');
	const space = room.search(/[\s,;:]+\S*$/);
	return `${(space > 0 ? room.slice(0, space) : room).trimEnd()}…`;
}

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
						<Text dimColor>{`  ${cutAtWord(entry.summary, width - 2)}`}</Text>
					) : undefined}
				</Box>
			))}
		</Box>
	);
}
