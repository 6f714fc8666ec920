import {stripVTControlCharacters} from 'node:util';
import {render} from 'ink-testing-library';
import type {ReactElement} from 'react';
import {panelWidth} from '../../source/ui/app.tsx';

/** What terminals send for the keys the wizard uses. */
export const keys = {
	up: '\u001B[A',
	down: '\u001B[B',
	right: '\u001B[C',
	left: '\u001B[D',
	enter: '\r',
	escape: '\u001B',
	tab: '\t',
	shiftTab: '\u001B[Z',
	backspace: '\u007F',
	pageDown: '\u001B[6~',
	pageUp: '\u001B[5~',
	ctrlC: '\u0003',
	ctrlD: '\u0004',
} as const;

type Expected = string | RegExp | ((frame: string) => boolean);

/** Text with every run of spaces and line breaks made one space: ink wraps long lines at the terminal's width. */
export const flat = (text: string): string => text.replaceAll(/\s+/g, ' ');

/** ink-testing-library's terminal width. */
const inkTestingColumns = 100;

/** The frame without the progress panel, whose lines sit beside the screen's wrapped ones. */
export const screenColumn = (frame: string): string =>
	frame
		.split('\n')
		.map((line) => line.slice(panelWidth(inkTestingColumns) + 1))
		.join('\n');

const matches = (frame: string, expected: Expected): boolean =>
	typeof expected === 'string'
		? [frame, screenColumn(frame)].some((text) => flat(text).includes(flat(expected)))
		: expected instanceof RegExp
			? expected.test(frame)
			: expected(frame);

const tick = async () =>
	new Promise((resolve) => {
		setTimeout(resolve, 5);
	});

/**
ink-testing-library with waits on content instead of sleeps. `press` waits until ink listens to stdin (its input
hook registers in an effect, after the first frame), then writes each key as the terminal would send it.
A lone Esc is told from the start of an escape sequence after ink's short timeout: wait for the screen it leads
to before pressing anything else.
*/
export type RenderedInk = {
	/** The last frame, without colours. */
	readonly frame: () => string;
	/** Waits until the frame shows `expected` (text is matched across ink's line wrapping); returns the frame. */
	readonly waitFor: (expected: Expected, what?: string) => Promise<string>;
	readonly press: (...sequence: string[]) => Promise<void>;
	/** Types text as one chunk, the way a paste or a fast typist's burst arrives. */
	readonly type: (text: string) => Promise<void>;
	readonly unmount: () => void;
};

export function renderInk(tree: ReactElement, {timeout = 5000}: {timeout?: number} = {}): RenderedInk {
	const instance = render(tree);
	const frame = (): string => stripVTControlCharacters(instance.lastFrame() ?? '');
	const waitFor = async (expected: Expected, what = String(expected)): Promise<string> => {
		const deadline = Date.now() + timeout;
		while (!matches(frame(), expected)) {
			if (Date.now() > deadline) {
				throw new Error(`timed out after ${timeout} ms waiting for ${what}; the screen was:\n${frame()}`);
			}

			await tick();
		}

		return frame();
	};

	const press = async (...sequence: string[]): Promise<void> => {
		await waitFor(() => instance.stdin.listenerCount('readable') > 0, 'ink to read the keyboard');
		for (const key of sequence) {
			instance.stdin.write(key);
			await tick();
		}
	};

	return {frame, waitFor, press, type: async (text) => press(text), unmount: instance.unmount};
}
