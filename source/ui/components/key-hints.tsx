import {Text} from 'ink';

type Props = {
	/** Pairs of key and what it does, in the order shown. */
	readonly hints: readonly (readonly [string, string])[];
};

/**
The keys that work on the current screen.

	↑↓ move · Enter next · Esc back · Ctrl-C quit
*/
export function KeyHints({hints}: Props) {
	return <Text dimColor>{hints.map(([key, action]) => `${key} ${action}`).join(' · ')}</Text>;
}
