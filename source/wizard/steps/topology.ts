import {type Answers, type Placement, placements, type Topology} from '../answers.ts';
import {setSection} from '../edit.ts';
import {type ChoiceQuestion, numberQuestion, type Question, type TextQuestion} from '../question.ts';
import type {Step} from '../step.ts';
import {editing} from '../step.ts';
import {modeOf, quorumNote, settleTopology} from '../topology.ts';

const setTopology = (answers: Answers, patch: Partial<Topology>): Answers => ({
	...answers,
	topology: {...answers.topology, ...patch},
});

const name: TextQuestion = {
	id: 'name',
	kind: 'text',
	prompt: 'Cluster name',
	explanation: () => "A DNS label (a-z, 0-9, -): kubeadm's clusterName, and the seed of the VRRP id.",
	paths: ['name'],
	read: (answers) => answers.spec.name,
	write: (answers, text) => ({...answers, spec: {...answers.spec, name: text}}),
};

type CountField = 'controlPlanes' | 'etcdNodes' | 'workers' | 'loadBalancerNodes';

const count = (id: CountField, prompt: string, min: number, explanation: Question['explanation']) =>
	numberQuestion({
		id,
		prompt,
		explanation,
		paths: [],
		min,
		max: 99,
		read: (answers) => answers.topology[id],
		write: (answers, value) => setTopology(answers, {[id]: value ?? min}),
	});

const controlPlanes = count('controlPlanes', 'Control planes', 1, (answers) =>
	answers.spec.etcd.topology === 'stacked'
		? 'Each runs an API server and an etcd member.'
		: 'Each runs an API server; the API stays up while one is left.',
);

const etcdNodes = count('etcdNodes', 'etcd nodes', 1, () => 'Each runs one member of the etcd cluster.');

const workers = count('workers', 'Workers', 0, () => 'Nodes that run your workloads; more can be added later.');

const loadBalancerNodes = count(
	'loadBalancerNodes',
	'Load-balancer nodes',
	1,
	() => 'Two are enough: one holds the VIP, the other takes it over.',
);

const etcdTopology: ChoiceQuestion = {
	id: 'etcd',
	kind: 'choice',
	prompt: 'etcd',
	explanation: () => 'Where the cluster database runs.',
	paths: ['etcd.topology'],
	options: () => [
		{
			value: 'stacked',
			label: 'stacked',
			explanation: 'On each control plane: fewer machines; losing a control plane loses an etcd member too.',
		},
		{
			value: 'external',
			label: 'external',
			explanation: 'On nodes of its own: control planes and etcd fail separately; more machines.',
		},
	],
	read: (answers) => answers.spec.etcd.topology,
	write: (answers, value) => setSection(answers, 'etcd', {topology: value as 'stacked' | 'external'}),
};

const placementLabels: Record<Placement, {label: string; explanation: string}> = {
	'control-planes': {
		label: 'keepalived + haproxy on the control planes',
		explanation: 'keepalived moves the VIP, haproxy spreads requests over every API server; no extra machines.',
	},
	dedicated: {
		label: 'keepalived + haproxy on dedicated nodes',
		explanation: 'Small machines of their own in front of the control planes; the VIP keeps port 6443.',
	},
	'kube-vip': {
		label: 'kube-vip',
		explanation: "A static pod on each control plane announces the VIP by ARP; the leader's API server answers.",
	},
	external: {
		label: 'an existing load balancer',
		explanation: 'An appliance or cloud LB already forwards to the control planes; kubeha points kubeadm at it.',
	},
};

/** Modes use different fields; those the new mode ignores are dropped, so that no stale value fails validation. */
const unusedBy: Record<ReturnType<typeof modeOf>, readonly string[]> = {
	'keepalived-haproxy': ['endpoint'],
	'kube-vip': ['endpoint', 'virtualRouterId', 'unicast', 'statsPort', 'port'],
	external: ['vip', 'interface', 'virtualRouterId', 'unicast', 'statsPort', 'port'],
};

const placement: ChoiceQuestion = {
	id: 'placement',
	kind: 'choice',
	prompt: 'Load balancer',
	explanation: () => 'How clients and kubelets reach the API servers when one of them is down.',
	paths: ['loadBalancer.mode'],
	options: () => placements.map((value) => ({value, ...placementLabels[value]})),
	read: (answers) => answers.topology.placement,
	write(answers, value) {
		const chosen = value as Placement;
		const mode = modeOf(chosen);
		const cleared = Object.fromEntries(unusedBy[mode].map((field) => [field, undefined]));
		return setSection(setTopology(answers, {placement: chosen}), 'loadBalancer', {...cleared, mode});
	},
};

const endpoint: TextQuestion = {
	id: 'endpoint',
	kind: 'text',
	prompt: 'Load balancer endpoint',
	explanation: () =>
		'host:port of the existing load balancer, e.g. lb.example.com:6443; it forwards to every API server.',
	paths: ['loadBalancer.endpoint'],
	read: (answers) => answers.spec.loadBalancer.endpoint ?? '',
	write: (answers, text) => setSection(answers, 'loadBalancer', {endpoint: text}),
};

const deploy: ChoiceQuestion = {
	id: 'deploy',
	kind: 'choice',
	prompt: 'Run them as',
	explanation: () => 'Both work the same; pick what your hosts are managed with.',
	paths: ['loadBalancer.deploy'],
	options: () => [
		{value: 'systemd', label: 'systemd services', explanation: "From the distribution's packages, managed by systemd."},
		{
			value: 'static-pod',
			label: 'static pods',
			explanation: 'Run by the kubelet from /etc/kubernetes/manifests; nothing to install on the host.',
		},
	],
	read: (answers) => answers.spec.loadBalancer.deploy,
	write: (answers, value) => setSection(answers, 'loadBalancer', {deploy: value as 'systemd' | 'static-pod'}),
};

function topologyQuestions(answers: Answers): Question[] {
	const {placement: chosen} = answers.topology;
	return [
		name,
		controlPlanes,
		etcdTopology,
		...(answers.spec.etcd.topology === 'external' ? [etcdNodes] : []),
		workers,
		placement,
		...(chosen === 'dedicated' ? [loadBalancerNodes] : []),
		...(chosen === 'external' ? [endpoint] : []),
		// Static pods need a kubelet, which dedicated load-balancer nodes do not run.
		...(chosen === 'control-planes' ? [deploy] : []),
	];
}

function topologySummary(answers: Answers): string {
	const {topology, spec} = answers;
	const etcd = spec.etcd.topology === 'stacked' ? 'stacked etcd' : `${topology.etcdNodes} etcd nodes`;
	return `${spec.name || 'unnamed'}: ${topology.controlPlanes} control planes, ${etcd}, ${topology.workers} workers; ${placementLabels[topology.placement].label}`;
}

export const topologyStep: Step = {
	id: 'topology',
	title: 'Topology',
	kind: 'form',
	shouldAsk: editing,
	questions: topologyQuestions,
	summary: topologySummary,
	notes: (answers) => [
		quorumNote(answers.spec.etcd.topology === 'stacked' ? answers.topology.controlPlanes : answers.topology.etcdNodes),
	],
	paths: ['nodes'],
	settle: settleTopology,
};
