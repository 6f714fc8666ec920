import type {Key} from 'ink';

/** The text of a field being edited and where the cursor is in it. */
export type TextEdit = {readonly value: string; readonly cursor: number};

export const textEdit = (value: string): TextEdit => ({value, cursor: value.length});

// Pasted text may carry a line end or a tab; a field holds one line.
const printable = (input: string): string =>
	[...input].filter((character) => character >= ' ' && character !== '\u007F').join('');

/** The edit after a key press, or undefined when the key does not edit text (Enter, Tab, arrows up and down). */
export function editText(edit: TextEdit, input: string, key: Key): TextEdit | undefined {
	const {value, cursor} = edit;
	if (key.leftArrow) {
		return {value, cursor: Math.max(0, cursor - 1)};
	}

	if (key.rightArrow) {
		return {value, cursor: Math.min(value.length, cursor + 1)};
	}

	if (key.home || (key.ctrl && input === 'a')) {
		return {value, cursor: 0};
	}

	if (key.end || (key.ctrl && input === 'e')) {
		return {value, cursor: value.length};
	}

	if (key.backspace) {
		return cursor === 0 ? edit : {value: value.slice(0, cursor - 1) + value.slice(cursor), cursor: cursor - 1};
	}

	if (key.delete) {
		return {value: value.slice(0, cursor) + value.slice(cursor + 1), cursor};
	}

	if (key.ctrl && input === 'u') {
		return {value: value.slice(cursor), cursor: 0};
	}

	const text = key.ctrl || key.meta || key.escape || key.return || key.tab ? '' : printable(input);
	return text === ''
		? undefined
		: {value: value.slice(0, cursor) + text + value.slice(cursor), cursor: cursor + text.length};
}
