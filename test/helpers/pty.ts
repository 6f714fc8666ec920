import {execFileSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {rmSync} from 'node:fs';

/** Why tests in a real terminal cannot run here, or false when they can (for a test's `skip`). */
export function tmuxUnavailable(): string | false {
	try {
		execFileSync('tmux', ['-V'], {stdio: 'ignore'});
		return false;
	} catch {
		return 'tmux is not installed: apt-get install -y tmux';
	}
}

/**
A pseudo-terminal in a tmux server of its own (its own socket), so the tests never touch the user's tmux, and
killing it ends exactly what they started.
*/
export class TmuxTerminal {
	readonly #socket = `kubeha-test-${process.pid}-${randomBytes(3).toString('hex')}`;
	readonly #timeout: number;
	#socketPath = '';

	private constructor(timeout: number) {
		this.#timeout = timeout;
	}

	/** Starts `command` (an argv) in a new 120×40 terminal in `cwd`. */
	static start(options: {
		command: readonly string[];
		cwd: string;
		env?: Readonly<Record<string, string>>;
		width?: number;
		height?: number;
		timeout?: number;
	}): TmuxTerminal {
		// Generous: on a busy 2-core machine the built binary alone takes 10 s to start.
		const terminal = new TmuxTerminal(options.timeout ?? 60_000);
		const environment = Object.entries(options.env ?? {}).flatMap(([name, value]) => ['-e', `${name}=${value}`]);
		terminal.#tmux(
			'new-session',
			'-d',
			'-x',
			String(options.width ?? 120),
			'-y',
			String(options.height ?? 40),
			'-c',
			options.cwd,
			...environment,
			// The shell prints the exit code and stays, so the screen can be read after the program ends.
			`${options.command.map((word) => `'${word.replaceAll("'", "'\\''")}'`).join(' ')}; echo "exit code $?"; sleep 600`,
		);
		terminal.#socketPath = terminal.#tmux('display-message', '-p', '#{socket_path}').trim();
		return terminal;
	}

	#tmux(...args: string[]): string {
		return execFileSync('tmux', ['-L', this.#socket, ...args], {encoding: 'utf8', timeout: 5000});
	}

	/** What the screen shows now, as text. */
	screen(): string {
		return this.#tmux('capture-pane', '-p');
	}

	/** Everything the terminal showed, scrolled-off lines included. */
	history(): string {
		return this.#tmux('capture-pane', '-p', '-S', '-');
	}

	/**
	Waits until `shows(screen)` holds; fails with the screen after the timeout (the terminal's, unless given), or
	at once when the program has ended without showing it.
	*/
	async waitUntil(shows: (screen: string) => boolean, what: string, timeout = this.#timeout): Promise<string> {
		const deadline = Date.now() + timeout;
		for (;;) {
			const screen = this.screen();
			if (shows(screen)) {
				return screen;
			}

			if (/^exit code \d+$/m.test(screen)) {
				throw new Error(`the program ended before showing ${what}; the terminal showed:\n${this.history().trimEnd()}`);
			}

			if (Date.now() > deadline) {
				throw new Error(`timed out waiting for ${what}; the screen was:\n${screen}`);
			}

			await new Promise((resolve) => {
				setTimeout(resolve, 50);
			});
		}
	}

	/** Waits until the screen shows `expected`. */
	async waitFor(expected: string | RegExp, timeout?: number): Promise<string> {
		return this.waitUntil(
			(screen) => (typeof expected === 'string' ? screen.includes(expected) : expected.test(screen)),
			String(expected),
			timeout,
		);
	}

	/**
	Waits until an @inquirer prompt asks `prompt`: the last prompt line on the screen (`? …` while asked, `✔ …` once
	answered) is that one, still open.
	*/
	async waitForPrompt(prompt: string, timeout?: number): Promise<void> {
		await this.waitUntil(
			(screen) => {
				const asked = screen.split('\n').filter((line) => line.startsWith('? ') || line.startsWith('✔ '));
				return asked.at(-1)?.startsWith(`? ${prompt}`) ?? false;
			},
			`the prompt "${prompt}"`,
			timeout,
		);
	}

	/** Sends key names as tmux knows them: Enter, Escape, Down, C-c… */
	keys(...names: string[]): void {
		this.#tmux('send-keys', ...names);
	}

	/** Sends text literally, as typed. */
	text(text: string): void {
		this.#tmux('send-keys', '-l', text);
	}

	/** Ends the tmux server and everything in it, and removes its socket. */
	kill(): void {
		try {
			this.#tmux('kill-server');
		} catch {
			// Already gone: the program ended and nothing is left to kill.
		}

		if (this.#socketPath !== '') {
			rmSync(this.#socketPath, {force: true});
		}
	}
}
