import {Box, Text} from 'ink';
import type {Choice} from '../../wizard/question.ts';

type Props = {
	readonly prompt: string;
	readonly explanation: string;
	readonly options: readonly Choice[];
	readonly focus: number;
};

/**
A question answered by picking one option; the focused option's line says what it does.

	What now?
	❯ Save and quit
	  Export the bundle
	  Apply to the 5 hosts (apply is not available yet)
	  Keep cluster.yaml; …
*/
export function MenuScreen({prompt, explanation, options, focus}: Props) {
	const focused = options[focus];
	return (
		<Box flexDirection="column">
			<Text bold>{prompt}</Text>
			<Text dimColor>{explanation}</Text>
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
