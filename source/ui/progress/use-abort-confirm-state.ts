import type {Key} from 'ink';

/** Watching the run; asking whether to stop it; stopping (the caller was asked to abort, the run is winding down). */
export type AbortConfirm = 'watching' | 'asking' | 'stopping';

const isCtrlC = (input: string, key: Key) => key.ctrl && input === 'c';

/**
Where a key press leads. Ctrl-C asks first, since stopping ends commands half-way; y (or a second Ctrl-C, as in
the wizard) stops, n, Enter (the default) or Esc go on. Once stopping, keys change nothing: the runner is
already ending its commands.
*/
export function abortConfirmReducer(state: AbortConfirm, {input, key}: {input: string; key: Key}): AbortConfirm {
	switch (state) {
		case 'watching': {
			return isCtrlC(input, key) ? 'asking' : state;
		}

		case 'asking': {
			if (input.toLowerCase() === 'y' || isCtrlC(input, key)) {
				return 'stopping';
			}

			return input.toLowerCase() === 'n' || key.return || key.escape ? 'watching' : state;
		}

		case 'stopping': {
			return state;
		}
	}
}
