import {Box, Text} from 'ink';
import type {Choice} from '../../wizard/question.ts';
import type {DiffLine} from '../../wizard/review.ts';
import type {FormFinding} from '../../wizard/wording.ts';
import {DiffView} from '../components/diff-view.tsx';
import {FindingsList} from '../components/findings-list.tsx';

type Props = {
	readonly prompt: string;
	readonly explanation: string;
	readonly options: readonly Choice[];
	readonly focus: number;
	/** The change the options act on, shown above them: the lines adding a node changes in cluster.yaml. */
	readonly diff: readonly DiffLine[];
	readonly notes: readonly string[];
	readonly findings: readonly FormFinding[];
};

/**
A question answered by picking one option; the focused option's line says what it does.

	What now?
	❯ Save and quit
	  Export the bundle
	  Apply to the 5 hosts (apply is not available yet)
	  Keep cluster.yaml; …
*/
export function MenuScreen({prompt, explanation, options, focus, diff, notes, findings}: Props) {
	const focused = options[focus];
	return (
		<Box flexDirection="column">
			<Text bold>{prompt}</Text>
			<Text dimColor>{explanation}</Text>
			{diff.length > 0 ? (
				<Box marginTop={1}>
					<DiffView lines={diff} offset={0} height={diff.length} />
				</Box>
			) : undefined}
			{notes.length > 0 || findings.length > 0 ? (
				<Box flexDirection="column" marginTop={1}>
					{notes.map((note) => (
						<Text key={note}>{note}</Text>
					))}
					<FindingsList findings={findings} />
				</Box>
			) : undefined}
			<Box flexDirection="column" marginY={1}>
				{options.map((option, index) => (
					<Text
						key={option.value}
						color={index === focus ? 'cyan' : undefined}
						dimColor={option.disabled !== undefined}
					>
						{`${index === focus ? '❯' : ' '} ${option.label}${option.disabled ? ` (${option.disabled})` : ''}`}
					</Text>
				))}
			</Box>
			{focused ? <Text>{focused.explanation}</Text> : undefined}
		</Box>
	);
}
