import {Text} from 'ink';
import {KeyHints} from '../components/key-hints.tsx';
import type {AbortConfirm} from './use-abort-confirm-state.ts';

/**
The line under the live rows: the key that stops the install, the question it asks, or that the run is stopping.

	Stop the install? running commands will be ended and the journal kept (y/N)
*/
export function AbortPrompt({state}: {readonly state: AbortConfirm}) {
	switch (state) {
		case 'watching': {
			return <KeyHints hints={[['Ctrl-C', 'stop the install']]} />;
		}

		case 'asking': {
			return (
				<Text bold color="yellow">
					Stop the install? running commands will be ended and the journal kept (y/N)
				</Text>
			);
		}

		case 'stopping': {
			return <Text color="yellow">Stopping: ending the running commands; the journal is kept…</Text>;
		}
	}
}
