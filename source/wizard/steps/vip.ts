import {type ClusterSpec, loadBalancerNodes} from '../../spec/cluster.ts';
import {completeSpec} from '../../spec/defaults.ts';
import type {Answers} from '../answers.ts';
import {editSpec, setSection} from '../edit.ts';
import {type ChoiceQuestion, numberQuestion, type Question, type TextQuestion} from '../question.ts';
import {editing, type Step} from '../step.ts';

const vip: TextQuestion = {
	id: 'vip',
	kind: 'text',
	prompt: 'Virtual IP',
	explanation: () =>
		"A free address in the nodes' subnet, with its prefix (192.168.1.94/24); the API is reached at it.",
	paths: ['loadBalancer.vip'],
	read: (answers) => answers.spec.loadBalancer.vip ?? '',
	write: (answers, text) => setSection(answers, 'loadBalancer', {vip: text}),
};

const networkInterface: TextQuestion = {
	id: 'interface',
	kind: 'text',
	prompt: 'Interface',
	explanation: () => "The interface that carries the nodes' addresses (`ip -brief address` on a node), e.g. eth0.",
	paths: ['loadBalancer.interface', 'nodes[].interface'],
	read: (answers) => answers.spec.loadBalancer.interface ?? '',
	write: (answers, text) => setSection(answers, 'loadBalancer', {interface: text}),
};

const virtualRouterId = numberQuestion({
	id: 'virtualRouterId',
	prompt: 'VRRP id',
	explanation: () =>
		'virtual_router_id, 1-255, unique on the segment; derived from the cluster name, not the 51 everyone uses.',
	paths: ['loadBalancer.virtualRouterId'],
	empty: 'the default',
	read: (answers) => completeSpec(answers.spec).loadBalancer.virtualRouterId,
	write: (answers, value) => setSection(answers, 'loadBalancer', {virtualRouterId: value}),
});

const unicast: ChoiceQuestion = {
	id: 'unicast',
	kind: 'choice',
	prompt: 'VRRP adverts',
	explanation: () => 'How keepalived nodes tell each other they are alive.',
	paths: ['loadBalancer.unicast'],
	options: () => [
		{value: 'multicast', label: 'multicast', explanation: 'To 224.0.0.18, the VRRP default; works on most LANs.'},
		{
			value: 'unicast',
			label: 'unicast',
			explanation: "To each peer's address; for clouds and switches that drop multicast.",
		},
	],
	read: (answers) => (answers.spec.loadBalancer.unicast ? 'unicast' : 'multicast'),
	write: (answers, value) => setSection(answers, 'loadBalancer', {unicast: value === 'unicast'}),
};

/** Load-balancer nodes by effective priority, highest first: the order the VIP moves in. */
function failoverOrder(spec: ClusterSpec): {name: string; priority: number}[] {
	return loadBalancerNodes(spec)
		.map((node) => ({name: node.name, priority: node.priority ?? 0}))
		.sort((a, b) => b.priority - a.priority);
}

function priorityQuestion(index: number, nodeName: string): TextQuestion {
	return numberQuestion({
		id: `nodes[${index}].priority`,
		prompt: `Priority of ${nodeName}`,
		explanation(answers) {
			const order = failoverOrder(completeSpec(answers.spec));
			const place = order.findIndex((entry) => entry.name === nodeName);
			return place === 0
				? 'The highest: MASTER, holds the VIP while its API server is healthy.'
				: `Takes the VIP over when the ${place} above it ${place === 1 ? 'is' : 'are'} down.`;
		},
		paths: [`nodes[${index}].priority`],
		empty: 'the default',
		read: (answers) => completeSpec(answers.spec).nodes[index]?.priority,
		write: (answers, value) =>
			editSpec(answers, (spec) => ({
				...spec,
				nodes: spec.nodes.map((node, at) => {
					if (at !== index) {
						return node;
					}

					const {priority: _, ...rest} = node;
					return value === undefined ? rest : {...rest, priority: value};
				}),
			})),
	});
}

const keepalived = (answers: Answers): boolean => answers.spec.loadBalancer.mode === 'keepalived-haproxy';

function vipQuestions(answers: Answers): Question[] {
	if (!keepalived(answers)) {
		return [vip, networkInterface];
	}

	const priorities = answers.spec.nodes.flatMap((node, index) =>
		node.roles.includes('load-balancer') ? [priorityQuestion(index, node.name)] : [],
	);
	return [vip, networkInterface, virtualRouterId, unicast, ...priorities];
}

function vipNotes(answers: Answers): string[] {
	if (!keepalived(answers)) {
		return ['kube-vip elects a leader among the control planes; it holds the VIP, so there are no priorities.'];
	}

	const order = failoverOrder(completeSpec(answers.spec));
	const chain = order.map((entry, place) => `${entry.name} ${entry.priority}${place === 0 ? ' (MASTER)' : ''}`);
	return [`Failover order: ${chain.join(' → ')}`];
}

export const vipStep: Step = {
	id: 'vip',
	title: 'Virtual IP',
	kind: 'form',
	shouldAsk: (answers) => editing(answers) && answers.spec.loadBalancer.mode !== 'external',
	questions: vipQuestions,
	summary(answers) {
		const {loadBalancer} = completeSpec(answers.spec);
		const vrrp = keepalived(answers)
			? `, VRRP id ${loadBalancer.virtualRouterId}, ${loadBalancer.unicast ? 'unicast' : 'multicast'}`
			: '';
		return `${loadBalancer.vip ?? 'no VIP'} on ${loadBalancer.interface ?? '?'}${vrrp}`;
	},
	notes: vipNotes,
};
