import type {Shell} from './shell.ts';
import {spawnScript} from './spawn-script.ts';

/**
Runs scripts on the operator's machine with `bash -s`, the same way the SSH shell runs them on a host; the
host passed to `run` only names the command in errors.
*/
export function createLocalShell(): Shell {
	return {
		run: (host, script, options) => spawnScript(['bash', '-s'], host, script, options),
		async close() {
			// Nothing stays open between local commands.
		},
	};
}
