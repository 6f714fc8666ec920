import {type Answers, type Intent, newAnswers} from '../answers.ts';
import type {ChoiceQuestion} from '../question.ts';
import type {Environment, Step} from '../step.ts';

const intentLabels: Record<Intent, string> = {
	edit: 'Edit it',
	review: 'Review and re-apply',
	export: 'Export a bundle',
	new: 'Start a new cluster',
};

/**
Choosing between the opened file and a new one swaps the draft; the opened spec is kept, so that changing one's
mind on this screen loses nothing.
*/
function intentQuestion(environment: Environment, opened: Answers['spec']): ChoiceQuestion {
	return {
		id: 'intent',
		kind: 'choice',
		prompt: `${environment.configPath} exists. What do you want to do?`,
		explanation: () => 'Your answers are saved to it as you move on; the version before is kept as .previous.',
		paths: [],
		options: () => [
			{value: 'edit', label: intentLabels.edit, explanation: 'Walk through every screen with its answers filled in.'},
			{
				value: 'review',
				label: intentLabels.review,
				explanation: 'Go straight to the files each host gets and how they differ from what the hosts have.',
			},
			{
				value: 'export',
				label: intentLabels.export,
				explanation: `Write every host's files to ${environment.bundlePath}.`,
			},
			{
				value: 'add-node',
				label: 'Add a node',
				explanation: 'Join one more node.',
				disabled: 'comes in a later version',
			},
			{
				value: 'new',
				label: intentLabels.new,
				explanation: `Answer everything from scratch; ${environment.configPath} is replaced when you move on.`,
			},
		],
		read: (answers) => answers.intent,
		write(answers, value) {
			const intent = value as Intent;
			if (intent === 'new') {
				return answers.intent === 'new' ? answers : newAnswers();
			}

			return {...(answers.intent === 'new' ? {...answers, spec: opened} : answers), intent};
		},
	};
}

/** Only shown when a cluster.yaml was opened; a new cluster starts at the topology. */
export const startStep = (opened: Answers['spec']): Step => ({
	id: 'start',
	title: 'Start',
	kind: 'menu',
	shouldAsk: () => false,
	questions: (_, environment) => [intentQuestion(environment, opened)],
	summary: (answers) => intentLabels[answers.intent],
});
