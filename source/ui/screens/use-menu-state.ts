import type {Key} from 'ink';
import type {Choice} from '../../wizard/question.ts';
import type {ScreenResult} from './screen-result.ts';

/** A list of options acted on with Enter (the start and confirm screens). */
export type MenuState = {readonly kind: 'menu'; readonly focus: number};

const selectable = (options: readonly Choice[], index: number): boolean =>
	options[index] !== undefined && options[index].disabled === undefined;

/** Focus starts on the option already chosen, else on the first that can be chosen. */
export function initialMenu(options: readonly Choice[], chosen: string): MenuState {
	const index = options.findIndex((option) => option.value === chosen && option.disabled === undefined);
	return {
		kind: 'menu',
		focus:
			index === -1
				? Math.max(
						0,
						options.findIndex((o) => o.disabled === undefined),
					)
				: index,
	};
}

function move(state: MenuState, options: readonly Choice[], direction: 1 | -1): MenuState {
	for (let index = state.focus + direction; index >= 0 && index < options.length; index += direction) {
		if (selectable(options, index)) {
			return {...state, focus: index};
		}
	}

	return state;
}

export function menuKey(state: MenuState, key: Key, options: readonly Choice[]): ScreenResult<MenuState> {
	if (key.upArrow || (key.tab && key.shift)) {
		return {screen: move(state, options, -1)};
	}

	if (key.downArrow || key.tab) {
		return {screen: move(state, options, 1)};
	}

	const focused = options[state.focus];
	return key.return && focused && focused.disabled === undefined
		? {screen: state, action: {type: 'select', value: focused.value}}
		: {screen: state};
}
