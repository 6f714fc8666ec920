import {Box, Text} from 'ink';
import type {HostCheckState} from '../hooks/use-app-state.ts';

export type HostCheckRow = {readonly name: string; readonly address: string; readonly check: HostCheckState};

/**
The result of checking SSH to each host, as the results come in.

	cp1  192.168.1.91  ✔ OpenSSH_9.2
	cp2  192.168.1.92  ✖ connection refused
	cp3  192.168.1.93  … checking
*/
export function HostChecks({rows}: {readonly rows: readonly HostCheckRow[]}) {
	return (
		<Box flexDirection="column">
			{rows.map(({name, address, check}) => {
				const [mark, color, detail] =
					check.status === 'checking'
						? ['…', undefined, 'checking']
						: check.reachable
							? ['✔', 'green', check.detail]
							: ['✖', 'red', check.detail];
				return (
					<Text key={name} color={color}>
						{`  ${name.padEnd(12)} ${address.padEnd(16)} ${mark} ${detail}`}
					</Text>
				);
			})}
		</Box>
	);
}
