import {type Key, useInput} from 'ink';
import type {Dispatch} from 'react';
import type {AppAction} from './use-app-state.ts';

/** A Key with nothing pressed, to build key events from. */
export const noKey: Key = {
	upArrow: false,
	downArrow: false,
	leftArrow: false,
	rightArrow: false,
	pageDown: false,
	pageUp: false,
	home: false,
	end: false,
	return: false,
	escape: false,
	ctrl: false,
	shift: false,
	tab: false,
	backspace: false,
	delete: false,
	meta: false,
	super: false,
	hyper: false,
	capsLock: false,
	numLock: false,
};

type Press = {input: string; key: Key};

/** Enter, Tab, and Ctrl-A … Ctrl-Z (the characters 1 … 26) as ink reports them when they come alone. */
function pressOf(character: string): Press | undefined {
	if (character === '\r' || character === '\n') {
		return {input: '', key: {...noKey, return: true}};
	}

	if (character === '\t') {
		return {input: '', key: {...noKey, tab: true}};
	}

	const code = character.codePointAt(0) ?? 0;
	return code >= 1 && code <= 26 ? {input: String.fromCodePoint(code + 0x60), key: {...noKey, ctrl: true}} : undefined;
}

/**
The key presses in one chunk of input. ink hands over a paste, or keys typed faster than it reads them, as one
string, and splits off only Escape sequences, Backspace and Ctrl-C; Enter, Tab and Ctrl+letter inside it are keys
of their own ("192.168.1.91\r" is an address, then Enter; "\r\u0015" is Enter, then Ctrl-U).
*/
export function splitKeys(input: string, key: Key): Press[] {
	const presses: Press[] = [];
	let text = '';
	for (const character of input) {
		const press = pressOf(character);
		if (press === undefined) {
			text += character;
			continue;
		}

		if (text !== '') {
			presses.push({input: text, key: noKey});
			text = '';
		}

		presses.push(press);
	}

	if (text !== '') {
		presses.push({input: text, key: noKey});
	}

	// One key, or text alone: as ink reported it.
	return presses.length > 1 ? presses : [{input, key}];
}

/**
The TUI's one input handler: every key goes to the app reducer, which routes it by the state it is in. Handlers per
field, switched with `isActive`, lose keys typed faster than React re-renders (a handler still sees the screen before
the last key); a reducer always sees the latest state.
*/
export function useKeys(dispatch: Dispatch<AppAction>, isActive: boolean): void {
	useInput(
		(input, key) => {
			for (const press of splitKeys(input, key)) {
				dispatch({type: 'key', ...press});
			}
		},
		{isActive},
	);
}
