import {additionDiff, additionFindings, type NodeAddition, newNodeOf, nodeToAdd} from '../node-addition.ts';
import type {ChoiceQuestion} from '../question.ts';
import {addingNode, backOption, type Environment, type Step} from '../step.ts';

const confirmQuestion = (environment: Environment): ChoiceQuestion => ({
	id: 'addNode',
	kind: 'choice',
	prompt: 'Add the node?',
	explanation: (answers) =>
		`${environment.configPath} gets the lines below. kubeha add-node then shows what changes on every host and asks before it writes ${newNodeOf(answers).name} in and applies.`,
	paths: [],
	options: (answers) => [
		{
			value: 'add',
			label: 'Add and apply',
			explanation: `Hand ${newNodeOf(answers).name} to kubeha add-node: the plan, your go-ahead, then the install over SSH.`,
		},
		{value: backOption, label: 'Back', explanation: 'Change the answers.'},
		{value: 'quit', label: 'Quit', explanation: `Leave ${environment.configPath} as it is.`},
	],
	read: () => 'add',
	// The choice is acted on, not kept.
	write: (answers) => answers,
});

/** The last screen of "Add a node": the change to cluster.yaml, what kubeha chose and warns of, then go or not. */
export const addNodeConfirmStep = (addition: NodeAddition): Step => ({
	id: 'add-node-confirm',
	title: 'Add and apply',
	kind: 'menu',
	shouldAsk: addingNode,
	questions: (_, environment) => [confirmQuestion(environment)],
	summary: () => '',
	notes(answers) {
		const {result} = addition(answers);
		return result.ok ? result.notes : [];
	},
	findings: (answers) => additionFindings(addition(answers)),
	preview: (answers) => additionDiff(addition(answers)),
	outcome(value, answers) {
		if (value === 'add') {
			return {action: 'add-node', node: nodeToAdd(answers)};
		}

		return value === 'quit' ? {action: 'quit'} : undefined;
	},
});
