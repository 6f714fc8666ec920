import {emitKeypressEvents} from 'node:readline';
import {Writable} from 'node:stream';
import {confirm, input, rawlist} from '@inquirer/prompts';

/** The streams the plain mode talks over: the process's own, or a test's. */
export type Terminal = {
	readonly input: NodeJS.ReadableStream;
	readonly output: NodeJS.WritableStream;
};

/** The operator pressed Esc: back to the previous screen. */
export class GoBack extends Error {
	override readonly name = 'GoBack';
}

/** The operator pressed Ctrl-C. */
export class QuitRequested extends Error {
	override readonly name = 'QuitRequested';
}

export type ListChoice<V extends string> = {readonly value: V; readonly name: string; readonly description?: string};

/** One question at a time on a line-oriented terminal; every method may throw GoBack or QuitRequested. */
export type Asker = {
	readonly text: (config: {
		message: string;
		default?: string;
		validate?: (text: string) => string | true;
	}) => Promise<string>;
	/** Answered by typing the option's number: works on serial consoles and with screen readers. */
	readonly choose: <V extends string>(message: string, choices: readonly ListChoice<V>[], chosen?: V) => Promise<V>;
	readonly confirm: (message: string, answer: boolean) => Promise<boolean>;
	readonly print: (line?: string) => void;
	/** Stops listening for Esc. */
	readonly close: () => void;
};

type KeyPress = {readonly name?: string} | undefined;

/**
Where one prompt writes: the terminal, which it must not close. A prompt ends its output when it is answered;
process.stdout ignores that, any other stream (a socket, a test's) would refuse every later line.
*/
class PromptOutput extends Writable {
	readonly #terminal: NodeJS.WritableStream & {columns?: number; rows?: number};

	constructor(terminal: NodeJS.WritableStream) {
		super();
		this.#terminal = terminal;
	}

	// Passed on at once, not when the terminal has flushed it: the lines kubeha prints between prompts go straight
	// to the terminal too, and must come after what the prompt drew.
	override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
		this.#terminal.write(chunk);
		done();
	}

	/** The prompts wrap their lines at the terminal's width. */
	get columns(): number | undefined {
		return this.#terminal.columns;
	}

	get rows(): number | undefined {
		return this.#terminal.rows;
	}
}

/**
Asks with @inquirer/prompts on the given terminal. Esc aborts the prompt (through its `signal`), which becomes
GoBack; Ctrl-C's ExitPromptError becomes QuitRequested.
*/
export function createAsker(terminal: Terminal): Asker {
	let current: AbortController | undefined;
	const onKeypress = (_: unknown, key: KeyPress) => {
		if (key?.name === 'escape') {
			current?.abort();
		}
	};

	emitKeypressEvents(terminal.input as NodeJS.ReadStream);
	terminal.input.on('keypress', onKeypress);
	const ask = async <T>(
		prompt: (context: {input: NodeJS.ReadableStream; output: NodeJS.WritableStream; signal: AbortSignal}) => Promise<T>,
	): Promise<T> => {
		current = new AbortController();
		try {
			return await prompt({input: terminal.input, output: new PromptOutput(terminal.output), signal: current.signal});
		} catch (error) {
			const name = (error as Error).name;
			if (name === 'AbortPromptError') {
				throw new GoBack('back');
			}

			if (name === 'ExitPromptError') {
				throw new QuitRequested('quit');
			}

			throw error;
		} finally {
			current = undefined;
		}
	};

	return {
		text: async (config) => ask(async (context) => input(config, context)),
		choose: async (message, choices, chosen) =>
			ask(async (context) => rawlist({message, choices, ...(chosen === undefined ? {} : {default: chosen})}, context)),
		confirm: async (message, answer) => ask(async (context) => confirm({message, default: answer}, context)),
		print(line = '') {
			terminal.output.write(`${line}\n`);
		},
		close() {
			terminal.input.off('keypress', onKeypress);
		},
	};
}
