import {PassThrough, Writable} from 'node:stream';
import {stripVTControlCharacters} from 'node:util';

/**
A terminal for the plain mode in a test: what the wizard writes is kept as text, and `answer` waits for a prompt
to appear before typing, so each line goes to the prompt it is meant for.
*/
export class ScriptedTerminal {
	readonly input = new PassThrough();
	readonly output: Writable & {columns: number};
	#written = '';
	#read = 0;
	readonly #timeout: number;

	// Generous: rendering the review takes seconds on a busy 2-core machine; a failure shows the output anyway.
	constructor(timeout = 30_000) {
		this.#timeout = timeout;
		const output = new Writable({
			write: (chunk: Buffer, _encoding, done) => {
				this.#written += chunk.toString();
				done();
			},
		});
		// Wide enough that no prompt line is wrapped.
		this.output = Object.assign(output, {columns: 500});
	}

	/** Everything written so far, without the terminal control sequences. */
	text(): string {
		return stripVTControlCharacters(this.#written);
	}

	/** Waits until `expected` is written after what earlier waits consumed; returns the text up to it. */
	async waitFor(expected: string): Promise<string> {
		const deadline = Date.now() + this.#timeout;
		for (;;) {
			const text = this.text();
			const at = text.indexOf(expected, this.#read);
			if (at !== -1) {
				const seen = text.slice(this.#read, at + expected.length);
				this.#read = at + expected.length;
				return seen;
			}

			if (Date.now() > deadline) {
				throw new Error(`timed out waiting for ${JSON.stringify(expected)}; the output ends:\n${text.slice(-1500)}`);
			}

			await new Promise((resolve) => {
				setTimeout(resolve, 5);
			});
		}
	}

	/** Waits for a prompt, then types a line (empty: Enter takes the answer in brackets). */
	async answer(prompt: string, line = ''): Promise<void> {
		await this.waitFor(prompt);
		this.input.write(`${line}\r`);
	}

	/** Sends keys as they are: Esc is `\u001B`, Ctrl-C `\u0003`. */
	press(keys: string): void {
		this.input.write(keys);
	}
}
