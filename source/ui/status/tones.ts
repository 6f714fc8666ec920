import type {Tone} from '../../status/cell.ts';

/** The colour of each tone; plain text keeps the terminal's own. */
export const toneColors: Record<Tone, string | undefined> = {
	ok: 'green',
	bad: 'red',
	warn: 'yellow',
	unknown: 'yellow',
	plain: undefined,
};
