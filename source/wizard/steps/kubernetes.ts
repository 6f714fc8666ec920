import {cniPlugins, type ParsedCluster} from '../../spec/schema.ts';
import type {Answers} from '../answers.ts';
import {setSection} from '../edit.ts';
import type {ChoiceQuestion, TextQuestion} from '../question.ts';
import {editing, type Step} from '../step.ts';

type KubernetesText = 'version' | 'podSubnet' | 'serviceSubnet';

const text = (field: KubernetesText, prompt: string, explanation: string): TextQuestion => ({
	id: field,
	kind: 'text',
	prompt,
	explanation: () => explanation,
	paths: [`kubernetes.${field}`],
	read: (answers: Answers) => answers.spec.kubernetes[field],
	write: (answers, value) => setSection(answers, 'kubernetes', {[field]: value}),
});

const cniExplanations: Record<ParsedCluster['kubernetes']['cni'], string> = {
	calico: 'Network policy, BGP or VXLAN; the common default.',
	flannel: 'A simple VXLAN overlay; no network policy.',
	cilium: 'eBPF datapath, network policy and observability.',
	none: 'Install a network plugin yourself after kubeadm init; nodes stay NotReady until then.',
};

const cni: ChoiceQuestion = {
	id: 'cni',
	kind: 'choice',
	prompt: 'Pod network (CNI)',
	explanation: () => 'The plugin that gives pods their addresses and routes between nodes.',
	paths: ['kubernetes.cni'],
	options: () => cniPlugins.map((value) => ({value, label: value, explanation: cniExplanations[value]})),
	read: (answers) => answers.spec.kubernetes.cni,
	write: (answers, value) => setSection(answers, 'kubernetes', {cni: value as ParsedCluster['kubernetes']['cni']}),
};

export const kubernetesStep: Step = {
	id: 'kubernetes',
	title: 'Kubernetes',
	kind: 'form',
	shouldAsk: editing,
	questions: () => [
		text('version', 'Version', 'Kubernetes x.y.z; kubeadm, kubelet and kubectl of this version are installed.'),
		text(
			'podSubnet',
			'Pod subnet',
			"CIDR pods get addresses from; must not overlap the nodes' or the services' network.",
		),
		text(
			'serviceSubnet',
			'Service subnet',
			"CIDR of service addresses; must not overlap the pods' or the nodes' network.",
		),
		cni,
	],
	paths: ['kubernetes.*'],
	summary: ({spec: {kubernetes}}) =>
		`${kubernetes.version}, ${kubernetes.cni}, pods ${kubernetes.podSubnet}, services ${kubernetes.serviceSubnet}`,
};
