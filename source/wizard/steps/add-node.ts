import type {Answers, NodeGroup} from '../answers.ts';
import {
	addedPriority,
	additionFindings,
	type NodeAddition,
	newNodeOf,
	nodeToAdd,
	takesPriority,
	withNewNode,
} from '../node-addition.ts';
import {type Choice, type ChoiceQuestion, numberQuestion, type Question, type TextQuestion} from '../question.ts';
import {addingNode, type Step} from '../step.ts';
import {rolesFor} from '../topology.ts';

// The paths name every node's field: `kubeha add-node` reports a name or address already taken on the node that
// has it. Only the addition's findings reach this screen, so each is about the new node.
const name: TextQuestion = {
	id: 'newNode.name',
	kind: 'text',
	prompt: 'Name',
	explanation: () => 'Its host name and Kubernetes node name: lowercase letters, digits and -, used by no other node.',
	paths: ['nodes[].name'],
	read: (answers) => newNodeOf(answers).name,
	write: (answers, text) => withNewNode(answers, {name: text}),
};

const address: TextQuestion = {
	id: 'newNode.address',
	kind: 'text',
	prompt: 'Address',
	explanation(answers) {
		const {vip} = answers.spec.loadBalancer;
		const holder = vip === undefined ? '' : `; a node that may hold the VIP needs one in its subnet (${vip})`;
		return `Its IPv4 address, which no other node has${holder}.`;
	},
	// A VIP holder outside the VIP's subnet is reported on the VIP.
	paths: ['nodes[].address', 'loadBalancer.vip'],
	read: (answers) => newNodeOf(answers).address,
	write: (answers, text) => withNewNode(answers, {address: text}),
};

/** Why a group cannot be added in this topology, when it cannot. */
function unavailable(answers: Answers, group: NodeGroup): string | undefined {
	const {placement} = answers.topology;
	if (group === 'etcd' && answers.spec.etcd.topology === 'stacked') {
		return 'etcd is stacked on the control planes';
	}

	if (group === 'load-balancer' && placement !== 'dedicated') {
		return placement === 'external'
			? 'the load balancer is not part of the cluster'
			: 'the VIP is held by the control planes: add a control plane';
	}

	return undefined;
}

const groupExplanations: Record<NodeGroup, (answers: Answers) => string> = {
	worker: () => 'Runs your workloads.',
	'control-plane': (answers) =>
		answers.spec.etcd.topology === 'stacked'
			? 'Runs an API server and a member of the stacked etcd.'
			: 'Runs an API server; etcd stays on its own nodes.',
	etcd: () => 'One more member of the external etcd cluster.',
	'load-balancer': () => 'keepalived and haproxy: one more node that can hold the VIP.',
};

const groups: readonly NodeGroup[] = ['worker', 'control-plane', 'etcd', 'load-balancer'];

function groupChoice(answers: Answers, group: NodeGroup): Choice {
	const roles = rolesFor(group, answers.topology.placement);
	const reason = unavailable(answers, group);
	return {
		value: group,
		label: roles.join(' + '),
		explanation: groupExplanations[group](answers),
		...(reason === undefined ? {} : {disabled: reason}),
	};
}

const role: ChoiceQuestion = {
	id: 'newNode.group',
	kind: 'choice',
	prompt: 'Roles',
	explanation: () => 'What it runs; the topology decides which roles go together.',
	// The etcd member count is reported on the whole list of nodes.
	paths: ['nodes[].roles', 'nodes'],
	options: (answers) => groups.map((group) => groupChoice(answers, group)),
	read: (answers) => newNodeOf(answers).group,
	write: (answers, value) => withNewNode(answers, {group: value as NodeGroup}),
};

const priority = (addition: NodeAddition): TextQuestion =>
	numberQuestion({
		id: 'newNode.priority',
		prompt: 'Priority',
		explanation: () =>
			"keepalived's; below every other load-balancer node's, the node takes the VIP only when they are down.",
		paths: ['nodes[].priority'],
		empty: 'below every other',
		read: (answers) => newNodeOf(answers).priority ?? addedPriority(addition(answers)),
		write(answers, value) {
			const {priority: _, ...rest} = newNodeOf(answers);
			return {...answers, newNode: value === undefined ? rest : {...rest, priority: value}};
		},
	});

/** "Add a node": the new node's name, address, roles and priority, each checked as `kubeha add-node` checks it. */
export const addNodeStep = (addition: NodeAddition): Step => ({
	id: 'add-node',
	title: 'New node',
	kind: 'form',
	shouldAsk: addingNode,
	questions: (answers): Question[] => [name, address, role, ...(takesPriority(answers) ? [priority(addition)] : [])],
	summary(answers) {
		const node = nodeToAdd(answers);
		return `${node.name || '(no name)'} ${node.address || '(no address)'}, ${node.roles.join(' + ')}`;
	},
	findings: (answers) => additionFindings(addition(answers)),
});
