import {setTimeout as sleep} from 'node:timers/promises';
import {
	type CommandOptions,
	type CommandResult,
	checkExit,
	type Shell,
	type ShellHost,
} from '../../source/runner/shell.ts';

/** What the fake answers a matching script with. */
export type FakeReply = {
	readonly stdout?: string;
	readonly stderr?: string;
	readonly exitCode?: number;
	/** Milliseconds the command "runs" after printing its output; an abort cuts it short. */
	readonly delayMs?: number;
};

/** One call the fake received. */
export type FakeCall = {
	readonly host: string;
	readonly script: string;
	readonly options: CommandOptions;
	/** Position among all calls, from 0. */
	readonly order: number;
	readonly startedAt: number;
	endedAt?: number;
	aborted: boolean;
};

type Rule = {readonly match: string | RegExp; readonly host?: string; readonly reply: FakeReply};

/**
A Shell for tests: scripts are matched against rules (a string: contained in the script; a RegExp: tested)
and answered with canned output and exit codes, streamed through onLine like a real command. Every call is
recorded with its host, order and timing. A script no rule matches fails loudly, so a test cannot pass by
running something it did not expect.
*/
export class FakeShell implements Shell {
	readonly calls: FakeCall[] = [];
	closed = false;
	/** The most calls that were running at the same moment. */
	peakConcurrency = 0;
	private readonly rules: Rule[] = [];
	private running = 0;

	/** Answers scripts matching `match` (on `host` only, when given); the first matching rule wins. */
	on(match: string | RegExp, reply: FakeReply = {}, host?: string): this {
		this.rules.push({match, reply, ...(host === undefined ? {} : {host})});
		return this;
	}

	async run(host: ShellHost, script: string, options: CommandOptions = {}): Promise<CommandResult> {
		options.signal?.throwIfAborted();
		const rule = this.rules.find(
			({match, host: only}) =>
				(only === undefined || only === host.name) &&
				(typeof match === 'string' ? script.includes(match) : match.test(script)),
		);
		if (!rule) {
			throw new Error(`FakeShell: no rule matches this script on ${host.name}:\n${script}`);
		}

		const call: FakeCall = {
			host: host.name,
			script,
			options,
			order: this.calls.length,
			startedAt: performance.now(),
			aborted: false,
		};
		this.calls.push(call);
		this.running++;
		this.peakConcurrency = Math.max(this.peakConcurrency, this.running);
		const {stdout = '', stderr = '', exitCode = 0, delayMs = 0} = rule.reply;
		try {
			emitLines(stdout, 'stdout', options);
			emitLines(stderr, 'stderr', options);
			await sleep(delayMs, undefined, options.signal ? {signal: options.signal} : {});
		} catch (error) {
			call.aborted = true;
			throw options.signal?.reason ?? error;
		} finally {
			this.running--;
			call.endedAt = performance.now();
		}

		return checkExit(host, {stdout, stderr, exitCode}, options);
	}

	async close(): Promise<void> {
		this.closed = true;
	}

	/** The calls made on one host, in order. */
	callsOn(host: string): FakeCall[] {
		return this.calls.filter((call) => call.host === host);
	}
}

function emitLines(text: string, stream: 'stdout' | 'stderr', {onLine}: CommandOptions): void {
	if (text === '') {
		return;
	}

	for (const line of text.split('\n').slice(0, text.endsWith('\n') ? -1 : undefined)) {
		onLine?.(line, stream);
	}
}
