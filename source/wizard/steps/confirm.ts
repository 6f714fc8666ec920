import type {ChoiceQuestion} from '../question.ts';
import {type Environment, reviewing, type Step} from '../step.ts';

/** What the operator does with the reviewed spec: the wizard's outcome. */
export const finishActions = ['save', 'export', 'apply'] as const;
export type FinishAction = (typeof finishActions)[number];

const finishQuestion = (environment: Environment): ChoiceQuestion => ({
	id: 'finish',
	kind: 'choice',
	prompt: 'What now?',
	explanation: () => `${environment.configPath} is saved already; choose what to do with it.`,
	paths: [],
	options: (answers) => [
		{
			value: 'save',
			label: 'Save and quit',
			explanation: `Keep ${environment.configPath}; \`kubeha export\` or \`kubeha render\` use it later.`,
		},
		{
			value: 'export',
			label: 'Export the bundle',
			explanation: `Write every host's files, a README and checksums to ${environment.bundlePath}.`,
		},
		{
			value: 'apply',
			label: `Apply to the ${answers.spec.nodes.length} hosts`,
			explanation: 'Install and configure every host over SSH.',
			...(environment.canApply ? {} : {disabled: 'apply is not available yet'}),
		},
	],
	// The choice is acted on, not kept: the menu starts on saving.
	read: () => 'save',
	write: (answers) => answers,
});

export const confirmStep: Step = {
	id: 'confirm',
	title: 'Confirm',
	kind: 'menu',
	shouldAsk: reviewing,
	questions: (_, environment) => [finishQuestion(environment)],
	summary: () => '',
	outcome: (value) => ({action: value as FinishAction}),
};
