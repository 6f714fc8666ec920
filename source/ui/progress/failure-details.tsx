import {Box, Text} from 'ink';
import type {HostOutcome} from '../../runner/events.ts';

type Props = {
	readonly host: string;
	readonly outcome: Extract<HostOutcome, {status: 'failed'}>;
};

/** How many of the failure's last output lines are shown; the log file has every line. */
const shownLines = 10;

/**
What failed on one host: the error, the exit code and the host's last lines of output.

	✖ cp2: a command on cp2 exited with 1: error execution phase preflight: …
	  exit code 1; its last lines:
	  │ [preflight] Running pre-flight checks
*/
export function FailureDetails({host, outcome}: Props) {
	const lines = outcome.lastLines.slice(-shownLines);
	const exit = outcome.exitCode === undefined ? '' : `exit code ${outcome.exitCode}; `;
	return (
		<Box flexDirection="column" marginLeft={4}>
			<Text color="red">{`✖ ${host}: ${outcome.error}`}</Text>
			{lines.length > 0 || exit !== '' ? (
				<Text color="red">{`  ${exit}${lines.length > 0 ? 'its last lines:' : 'no output'}`}</Text>
			) : undefined}
			{lines.map((line, index) => (
				// The same line may repeat; its place is its identity.
				// biome-ignore lint/suspicious/noArrayIndexKey: see above
				<Text key={index} dimColor wrap="truncate-end">{`  │ ${line}`}</Text>
			))}
		</Box>
	);
}
