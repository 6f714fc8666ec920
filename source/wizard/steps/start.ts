import {hasErrors} from '../../spec/finding.ts';
import {type Answers, answersFrom, type Intent, newAnswers} from '../answers.ts';
import {validateDraft} from '../findings.ts';
import type {ChoiceQuestion} from '../question.ts';
import type {Environment, Step} from '../step.ts';

const intentLabels: Record<Intent, string> = {
	edit: 'Edit it',
	review: 'Review and re-apply',
	export: 'Export a bundle',
	'add-node': 'Add a node',
	new: 'Start a new cluster',
};

/**
What every intent but `new` works on: the answers so far, or the opened file's again (its spec and the topology read
from it) when a new cluster was chosen before.
*/
const keptAnswers = (answers: Answers, opened: Answers['spec']): Answers =>
	answers.intent === 'new' ? answersFrom(opened) : answers;

/** Why no node can be added, when none can: `kubeha add-node` adds to a valid spec only. */
function addNodeUnavailable(environment: Environment, spec: Answers['spec']): string | undefined {
	if (!environment.canAddNode) {
		return 'adding a node is not available yet';
	}

	return hasErrors(validateDraft(spec))
		? `${environment.configPath} has errors: choose Edit it to fix them first`
		: undefined;
}

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
		options(answers) {
			const unavailable = addNodeUnavailable(environment, keptAnswers(answers, opened).spec);
			return [
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
					label: intentLabels['add-node'],
					explanation:
						'Name, address and roles of one more node, checked as kubeha add-node checks them; then its plan and the install.',
					...(unavailable === undefined ? {} : {disabled: unavailable}),
				},
				{
					value: 'new',
					label: intentLabels.new,
					explanation: `Answer everything from scratch; ${environment.configPath} is replaced when you move on.`,
				},
			];
		},
		read: (answers) => answers.intent,
		write(answers, value) {
			const intent = value as Intent;
			if (intent === 'new') {
				return answers.intent === 'new' ? answers : newAnswers();
			}

			return {...keptAnswers(answers, opened), intent};
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
	outcome: (value) => (value === 'export' ? {action: 'export'} : undefined),
});
