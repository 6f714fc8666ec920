import type {NodesQuestion} from '../question.ts';
import {editing, type Step} from '../step.ts';
import {settleNodes} from '../topology.ts';

const table: NodesQuestion = {
	id: 'nodes',
	kind: 'nodes',
	prompt: 'Nodes',
	explanation: () =>
		'Name, address and roles of every host. An address cell takes a list or a range (192.168.1.91-93) for the nodes from there on.',
	paths: ['nodes', 'nodes[]', 'nodes[].name', 'nodes[].address', 'nodes[].roles'],
};

export const nodesStep: Step = {
	id: 'nodes',
	title: 'Nodes',
	kind: 'nodes',
	shouldAsk: editing,
	questions: () => [table],
	summary(answers) {
		const {nodes} = answers.spec;
		const named = nodes.slice(0, 4).map((node) => `${node.name} ${node.address || '(no address)'}`);
		return `${nodes.length} nodes: ${named.join(', ')}${nodes.length > 4 ? ', …' : ''}`;
	},
	settle: settleNodes,
};
