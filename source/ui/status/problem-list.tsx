import {Box, Text} from 'ink';
import type {Problem} from '../../status/types.ts';

type Props = {
	readonly problems: readonly Problem[];
	/** Not degraded yet (certificates with less than 30 days left): ⚠ in yellow. */
	readonly warnings?: boolean;
};

/**
Each degradation with why kubeha thinks so and what to do.

	✖ API server cp3 is DOWN in haproxy on cp1, cp2, cp3
	    why: haproxy's health check of https://10.0.0.13:6443/healthz says L4CON: …
	    fix: make the API server on cp3 healthy …
*/
export function ProblemList({problems, warnings = false}: Props) {
	return (
		<Box flexDirection="column">
			{problems.map((problem) => (
				<Box key={problem.what} flexDirection="column">
					<Text color={warnings ? 'yellow' : 'red'}>
						{warnings ? '⚠' : '✖'} {problem.what}
					</Text>
					<Box paddingLeft={4} flexDirection="column">
						<Text>why: {problem.why}</Text>
						<Text dimColor>fix: {problem.fix}</Text>
					</Box>
				</Box>
			))}
		</Box>
	);
}
