import {constants} from 'node:os';
import type {Readable} from 'node:stream';
import {StringDecoder} from 'node:string_decoder';
import {$} from 'zx';
import {wrapScript} from './script-wrapper.ts';
import {type CommandOptions, type CommandResult, checkExit, type OutputStream, type ShellHost} from './shell.ts';

/**
Runs `argv` (a command that reads a bash script on stdin: `bash -s`, `ssh … bash -s`) with the wrapped script
on its stdin. zx quotes every element of argv as one word; nothing is built into a command line by hand.
*/
export async function spawnScript(
	argv: readonly string[],
	host: ShellHost,
	script: string,
	options: CommandOptions = {},
): Promise<CommandResult> {
	const {signal} = options;
	signal?.throwIfAborted();
	// Built first: a script that cannot be wrapped (a bad variable name) must not leave a child waiting on stdin.
	const text = wrapScript(script, options);
	// Its own process group: a Ctrl-C in the operator's terminal goes to kubeha alone, which asks and then
	// aborts cleanly, instead of killing every ssh at once mid-command.
	const child = $({nothrow: true, quiet: true, verbose: false, detached: true})`${argv}`;
	followLines(child.stdout, 'stdout', options);
	followLines(child.stderr, 'stderr', options);
	// A command that dies before reading its stdin (ssh that cannot connect) makes the write fail with EPIPE;
	// the exit code tells that story, so the write error itself is not news.
	child.stdin.on('error', () => undefined);
	// Not ended here: the wrapper's watchdog takes the end of stdin as "the caller is gone".
	child.stdin.write(text);
	const abort = () => {
		child.stdin.end();
		try {
			// zx kills the whole process tree (bash, the script, what it started).
			child.kill().catch(() => undefined);
		} catch {
			// zx throws at once when the process has just ended: nothing left to kill.
		}
	};

	signal?.addEventListener('abort', abort, {once: true});
	try {
		const output = await child;
		signal?.throwIfAborted();
		const exitCode = output.exitCode ?? 128 + (output.signal ? constants.signals[output.signal] : 0);
		return checkExit(host, {stdout: output.stdout, stderr: output.stderr, exitCode}, options);
	} finally {
		signal?.removeEventListener('abort', abort);
		child.stdin.end();
	}
}

/** Calls onLine for each complete line; a last line without a newline is passed on when the stream ends. */
function followLines(stream: Readable, name: OutputStream, {onLine}: CommandOptions): void {
	if (!onLine) {
		return;
	}

	// Decoded here rather than with setEncoding, which would change what zx collects for the result.
	const decoder = new StringDecoder('utf8');
	let partial = '';
	stream.on('data', (chunk: Buffer) => {
		const lines = (partial + decoder.write(chunk)).split('\n');
		partial = lines.pop() ?? '';
		for (const line of lines) {
			onLine(line, name);
		}
	});
	stream.on('end', () => {
		const last = partial + decoder.end();
		if (last) {
			onLine(last, name);
		}
	});
}
