import {Text} from 'ink';

/**
Asked on Ctrl-C; the answers are saved whichever way the operator goes.

	Quit? Your answers are saved in cluster.yaml; run kubeha again to go on. (y/n)
*/
export function QuitDialog({file}: {readonly file: string}) {
	return (
		<Text color="yellow" bold>
			{`Quit? Your answers are saved in ${file}; run kubeha again to go on. (y/n)`}
		</Text>
	);
}
