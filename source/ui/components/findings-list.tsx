import {Box, Text} from 'ink';
import type {Finding} from '../../spec/finding.ts';

type Props = {
	readonly findings: readonly Finding[];
	/** Where the findings are from, as `kubeha validate` names it: `cluster.yaml`. */
	readonly file: string;
	/** At most this many are shown (errors first); the rest are counted. */
	readonly limit?: number;
};

/**
Findings as `kubeha validate` words them: the path, the message and the rule, then the fix.

	✖ nodes[1].address is "" … [node-address]
	  fix: write the node's IPv4 address …
*/
export function FindingsList({findings, file, limit = 3}: Props) {
	const sorted = [...findings].sort((a, b) => Number(a.severity === 'warning') - Number(b.severity === 'warning'));
	const hidden = sorted.length - limit;
	return (
		<Box flexDirection="column">
			{sorted.slice(0, limit).map((finding) => (
				<Box key={`${finding.rule}:${finding.path}:${finding.message}`} flexDirection="column">
					<Text color={finding.severity === 'error' ? 'red' : 'yellow'}>
						{`${finding.severity === 'error' ? '✖ error' : '▲ warning'} ${finding.path || file}: ${finding.message} [${finding.rule}]`}
					</Text>
					<Text dimColor>{`  fix: ${finding.fix}`}</Text>
				</Box>
			))}
			{hidden > 0 ? <Text dimColor>{`… and ${hidden} more`}</Text> : undefined}
		</Box>
	);
}
