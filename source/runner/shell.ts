import {quote} from 'zx';

/** The host a command runs on: a NodeSpec fits. */
export type ShellHost = {
	/** Node name, used in messages. */
	readonly name: string;
	/** Where to connect (the SSH shell); the local shell ignores it. */
	readonly address: string;
};

export type OutputStream = 'stdout' | 'stderr';

export type CommandOptions = {
	/** Called with each complete line of output as it arrives, without its newline. */
	readonly onLine?: (line: string, stream: OutputStream) => void;
	/** Aborting ends the command (remotely too) and rejects with the signal's reason. */
	readonly signal?: AbortSignal;
	/** What the script reads on its standard input; nothing (an empty file) when absent. */
	readonly input?: string;
	/** Resolve with the result instead of rejecting when the exit code is not 0. */
	readonly nothrow?: boolean;
	/** Variables exported to the script (on the host, not the operator's environment). */
	readonly env?: Readonly<Record<string, string>>;
};

export type CommandResult = {
	readonly stdout: string;
	readonly stderr: string;
	readonly exitCode: number;
};

/**
Runs bash scripts on hosts: one interface for the operator's machine and for SSH, so steps and tests do not
care which. Every script runs with `set -euo pipefail`.
*/
export type Shell = {
	run(host: ShellHost, script: string, options?: CommandOptions): Promise<CommandResult>;
	/** Ends what the shell keeps open (SSH master connections). */
	close(): Promise<void>;
};

/** A Shell bound to one host, as steps see it. */
export type HostShell = {
	run(script: string, options?: CommandOptions): Promise<CommandResult>;
};

/** Exit code ssh uses for its own failures (connection, authentication, host key). */
export const sshFailureExitCode = 255;

/** A script that ended with a non-zero exit code. */
export class CommandError extends Error {
	override name = 'CommandError';

	/** The host's name. */
	readonly host: string;
	readonly result: CommandResult;

	constructor(host: string, result: CommandResult) {
		super(commandErrorMessage(host, result));
		this.host = host;
		this.result = result;
	}

	get exitCode(): number {
		return this.result.exitCode;
	}
}

function commandErrorMessage(host: string, {exitCode, stderr}: CommandResult): string {
	const lastError = stderr.trimEnd().split('\n').at(-1)?.trim().replace(/\.$/, '');
	const said = lastError ? `: ${lastError}` : '';
	if (exitCode === sshFailureExitCode) {
		return `a command on ${host} exited with ${exitCode}${said}. 255 is what ssh returns when it cannot connect, log in or verify the host key, or loses the connection: check that the node is up and its sshd runs, then its address, ssh.user, ssh.port, ssh.identityFile and its key in known_hosts.`;
	}

	return `a command on ${host} exited with ${exitCode}${said}`;
}

/** The result, or a CommandError when the script failed and the caller did not ask for nothrow. */
export function checkExit(host: ShellHost, result: CommandResult, options: CommandOptions): CommandResult {
	if (result.exitCode !== 0 && !options.nothrow) {
		throw new CommandError(host.name, result);
	}

	return result;
}

export type ScriptArgument = string | number | readonly (string | number)[];

/**
Builds a script line with every interpolated value quoted as one shell word (a list as several), so paths
with spaces, quotes or `$` reach the command intact: sh`rm -f ${path}`.
*/
export function sh(pieces: TemplateStringsArray, ...args: readonly ScriptArgument[]): string {
	const word = (value: string | number) => quote(String(value));
	return pieces.reduce((script, piece, index) => {
		const arg = args[index - 1];
		const quoted = typeof arg === 'object' ? arg.map(word).join(' ') : word(arg as string | number);
		return script + quoted + piece;
	});
}

/** The shell of one host, with defaults (a line callback, the run's signal) merged into every call. */
export function bindShell(shell: Shell, host: ShellHost, defaults: CommandOptions = {}): HostShell {
	return {
		run: (script, options = {}) =>
			shell.run(host, script, {
				...defaults,
				...options,
				signal: eitherSignal(defaults.signal, options.signal),
				onLine(line, stream) {
					defaults.onLine?.(line, stream);
					options.onLine?.(line, stream);
				},
			}),
	};
}

function eitherSignal(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
	const present = signals.filter((signal) => signal !== undefined);
	return present.length > 1 ? AbortSignal.any(present) : present[0];
}
