import {type Command, Option} from 'commander';
import {UserError} from '../io/user-error.ts';
import type {OutputFormat} from './event-lines.ts';

/*
The flags that mean the same in every command, declared once for program.ts and checked once for the commands
(a command called without the command line, like the wizard's apply, gets the same checks).
*/

/** Which of the shared flags a command takes, with the words its help gives them. */
export type SharedFlags = {
	/** `-y, --yes`: what the command does not ask before. */
	readonly yes?: string;
	/** `--output text|json`: what each gives. */
	readonly output?: {readonly text: string; readonly json: string};
	/** `--concurrency <hosts>`. */
	readonly concurrency?: boolean;
	/** `--overwrite-drift`. */
	readonly overwriteDrift?: boolean;
	/** `--resume`: what it goes on after. */
	readonly resume?: string;
	/** The connection flags (ssh options, host keys): every command that reaches the nodes. */
	readonly connection?: boolean;
};

/** Adds the shared flags a command takes to it. */
export function withSharedFlags(command: Command, flags: SharedFlags): Command {
	if (flags.resume) {
		command.option('--resume', flags.resume);
	}

	if (flags.yes) {
		command.option('-y, --yes', `do not ask before ${flags.yes} (needed without a terminal)`);
	}

	if (flags.overwriteDrift) {
		command.option(
			'--overwrite-drift',
			'replace files changed on the nodes since the last apply (otherwise --yes stops on them)',
		);
	}

	if (flags.output) {
		command.addOption(
			new Option('--output <format>', `text: ${flags.output.text}; json: ${flags.output.json}`)
				.choices(['text', 'json'])
				.default('text'),
		);
	}

	if (flags.concurrency) {
		command.option('--concurrency <hosts>', 'how many nodes a step works on at once (default 10)');
	}

	return flags.connection ? withConnectionFlags(command) : command;
}

/** The flags of every command that reaches the nodes over ssh (see ConnectOptions). */
export const withConnectionFlags = (command: Command): Command =>
	command
		.option(
			'--accept-new-host-keys',
			'trust nodes whose host key is not in known_hosts yet (their fingerprints are shown)',
		)
		.option(
			'--ssh-option <KEY=VALUE>',
			'an ssh_config option for every connection, e.g. UserKnownHostsFile=/path (repeatable)',
			(value: string, previous: string[]) => [...previous, value],
			[] as string[],
		);

/** `--output`, checked. */
export function outputFormatOf(text = 'text'): OutputFormat {
	if (text !== 'text' && text !== 'json') {
		throw new UserError(`--output ${JSON.stringify(text)} is not an output format: use text or json.`);
	}

	return text;
}

/** `--concurrency`, checked; undefined leaves it to the runner. */
export function concurrencyOf(text: string | undefined): number | undefined {
	if (text === undefined) {
		return undefined;
	}

	const value = Number(text);
	if (!Number.isInteger(value) || value < 1) {
		throw new UserError(
			`--concurrency ${JSON.stringify(text)} is not a whole number of hosts from 1 up (how many hosts a step works on at once).`,
		);
	}

	return value;
}
