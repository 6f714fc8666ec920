import {Box, Text} from 'ink';
import type {Choice} from '../../wizard/question.ts';

type Props = {
	readonly options: readonly Choice[];
	/** The value chosen. */
	readonly value: string;
	/** Unfocused, only the chosen option's label is shown. */
	readonly focused: boolean;
};

/**
A choice among options, each with one line saying what it means; ←→ change it while focused.

	● stacked
	○ external
	  On each control plane: fewer machines; …
*/
export function ChoiceField({options, value, focused}: Props) {
	const chosen = options.find((option) => option.value === value);
	if (!focused) {
		return <Text>{chosen?.label ?? value}</Text>;
	}

	return (
		<Box flexDirection="column">
			{options.map((option) => (
				<Text
					key={option.value}
					color={option.value === value ? 'cyan' : undefined}
					dimColor={option.disabled !== undefined}
				>
					{`${option.value === value ? '●' : '○'} ${option.label}${option.disabled ? ` (${option.disabled})` : ''}`}
				</Text>
			))}
			{chosen ? <Text dimColor>{`  ${chosen.explanation}`}</Text> : undefined}
		</Box>
	);
}
