import {reviewing, type Step} from '../step.ts';

/** The files each host gets, against what it has; every finding of the spec is shown here. */
export const reviewStep: Step = {
	id: 'review',
	title: 'Review',
	kind: 'review',
	shouldAsk: reviewing,
	questions: () => [],
	summary: () => 'files reviewed',
	paths: ['*'],
};
