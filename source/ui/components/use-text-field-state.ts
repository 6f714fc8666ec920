import type {Key} from 'ink';

/** The text of a field being edited and where the cursor is in it. */
export type TextEdit = {
	readonly value: string;
	readonly cursor: number;
	/**
	The text is a suggestion not edited yet (a default, a number just focused): it shows selected, and what is typed
	replaces it; any other key keeps it and edits as usual.
	*/
	readonly selected?: boolean;
};

export const textEdit = (value: string, selected = false): TextEdit =>
	selected && value !== '' ? {value, cursor: value.length, selected} : {value, cursor: value.length};

/** The range a number field takes; ←/→ step through it. */
export type NumberRange = {readonly min: number; readonly max: number};

// Pasted text may carry a line end or a tab; a field holds one line.
const printable = (input: string): string =>
	[...input].filter((character) => character >= ' ' && character !== '\u007F').join('');

/** The edit after a key press, or undefined when the key does not edit text (Enter, Tab, arrows up and down). */
export function editText(edit: TextEdit, input: string, key: Key): TextEdit | undefined {
	const typed = key.ctrl || key.meta || key.escape || key.return || key.tab ? '' : printable(input);
	if (edit.selected && typed !== '') {
		return {value: typed, cursor: typed.length};
	}

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

	return typed === ''
		? undefined
		: {value: value.slice(0, cursor) + typed + value.slice(cursor), cursor: cursor + typed.length};
}

/**
A whole number as a spin box edits it: ←/→ step it by one within its range, digits replace it when it was just
focused and extend it after, Backspace deletes the last digit (every digit may go: the field stays empty until
something is typed), and what is not a digit is not taken.
*/
export function editNumber(edit: TextEdit, input: string, key: Key, range: NumberRange): TextEdit | undefined {
	if (key.leftArrow || key.rightArrow) {
		// An empty field starts at the bottom of its range.
		const stepped = /^\d+$/.test(edit.value)
			? Math.min(range.max, Math.max(range.min, Number(edit.value) + (key.rightArrow ? 1 : -1)))
			: range.min;
		return textEdit(String(stepped), true);
	}

	if (key.backspace || key.delete) {
		return textEdit(edit.value.slice(0, -1));
	}

	if (key.ctrl && input === 'u') {
		return textEdit('');
	}

	const typed = key.ctrl || key.meta || key.escape || key.return || key.tab ? '' : printable(input);
	if (typed === '' || !/^\d+$/.test(typed)) {
		return undefined;
	}

	return textEdit(edit.selected ? typed : edit.value + typed);
}
