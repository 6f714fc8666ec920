import type {Key} from 'ink';
import type {Review} from '../../wizard/review.ts';
import type {ScreenResult} from './screen-result.ts';

/** Lines PgUp and PgDn move the diff by. */
export const reviewPage = 10;

export type ReviewState = {
	readonly kind: 'review';
	/** The file whose diff is shown. */
	readonly selected: number;
	/** The first diff line shown. */
	readonly offset: number;
};

export const initialReview: ReviewState = {kind: 'review', selected: 0, offset: 0};

/** `review` is undefined while the files are being rendered; Enter then waits. */
export function reviewKey(
	state: ReviewState,
	key: Key,
	review: Review | undefined,
	loading: boolean,
): ScreenResult<ReviewState> {
	const files = review?.files ?? [];
	if (key.upArrow || key.downArrow) {
		const selected = Math.min(Math.max(0, state.selected + (key.upArrow ? -1 : 1)), Math.max(0, files.length - 1));
		return {screen: {...state, selected, offset: 0}};
	}

	if (key.pageDown || key.pageUp) {
		const last = Math.max(0, (files[state.selected]?.lines.length ?? 0) - 1);
		const offset = Math.min(Math.max(0, state.offset + (key.pageDown ? reviewPage : -reviewPage)), last);
		return {screen: {...state, offset}};
	}

	return key.return && !loading ? {screen: state, action: {type: 'next'}} : {screen: state};
}
