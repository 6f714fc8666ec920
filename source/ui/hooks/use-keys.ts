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

/**
The key presses in one chunk of input. ink hands over a paste, or keys typed faster than it reads them, as one
string; Enter and Tab inside it are keys of their own ("192.168.1.91\r" is an address, then Enter).
*/
export function splitKeys(input: string, key: Key): {input: string; key: Key}[] {
	if (input.length <= 1 || !/[\r\n\t]/.test(input)) {
		return [{input, key}];
	}

	return [...input.matchAll(/[\r\n]|\t|[^\r\n\t]+/g)].map(([part]) =>
		part === '\r' || part === '\n'
			? {input: '', key: {...noKey, return: true}}
			: part === '\t'
				? {input: '', key: {...noKey, tab: true}}
				: {input: part, key: noKey},
	);
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
