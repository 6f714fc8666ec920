import {Box, Text} from 'ink';
import {type FormFinding, formFindingLine} from '../../wizard/wording.ts';

type Props = {
	readonly findings: readonly FormFinding[];
	/** At most this many are shown (errors first); the rest are counted. */
	readonly limit?: number;
};

/**
Findings on the questions as the screens ask them: the message and the rule, then the fix.

	✖ cp2 address is "" … [node-address]
	  fix: write the node's IPv4 address …
*/
export function FindingsList({findings, limit = 3}: Props) {
	const sorted = [...findings].sort((a, b) => Number(a.severity === 'warning') - Number(b.severity === 'warning'));
	const hidden = sorted.length - limit;
	return (
		<Box flexDirection="column">
			{sorted.slice(0, limit).map((finding) => (
				<Box key={`${finding.rule}:${finding.path}:${finding.message}`} flexDirection="column">
					<Text color={finding.severity === 'error' ? 'red' : 'yellow'}>{formFindingLine(finding)}</Text>
					<Text dimColor>{`  fix: ${finding.fix}`}</Text>
				</Box>
			))}
			{hidden > 0 ? <Text dimColor>{`… and ${hidden} more`}</Text> : undefined}
		</Box>
	);
}
