// Test fixture for the lab's kubeadm and kube-apiserver stand-ins: the few Kubernetes objects they exchange, shaped
// as the real API serves them so that kubectl-like clients (and @kubernetes/client-node) can read them.
import {rfc3339} from './kube-clock.ts';

export type OwnerReference = {apiVersion: string; kind: string; name: string; uid: string; controller?: boolean};

export type ObjectMeta = {
	name: string;
	namespace?: string;
	uid?: string;
	resourceVersion?: string;
	creationTimestamp?: string;
	labels?: Record<string, string>;
	annotations?: Record<string, string>;
	ownerReferences?: OwnerReference[];
};

export type KubeObject = {apiVersion: string; kind: string; metadata: ObjectMeta; [field: string]: unknown};

const controlPlaneLabel = 'node-role.kubernetes.io/control-plane';
const controlPlaneTaint = {key: controlPlaneLabel, effect: 'NoSchedule'};

export type Taint = {key: string; value?: string; effect: string};

export type NodeRegistrationInput = {
	name: string;
	address: string;
	controlPlane: boolean;
	/** undefined: kubeadm's default (the control-plane taint on control planes); [] for none. */
	taints: Taint[] | null | undefined;
	criSocket: string;
	kubeletVersion: string;
	at: Date;
};

/**
A Node as the kubelet registers it and kubeadm's mark-control-plane phase labels and taints it. Always Ready: no
kubelet runs in the lab, so the stand-in reports what a healthy kubelet would (see the README).
*/
export function nodeObject(input: NodeRegistrationInput): KubeObject {
	const taints = input.taints ?? (input.controlPlane ? [controlPlaneTaint] : []);
	return {
		apiVersion: 'v1',
		kind: 'Node',
		metadata: {
			name: input.name,
			labels: {
				'kubernetes.io/arch': 'amd64',
				'kubernetes.io/hostname': input.name,
				'kubernetes.io/os': 'linux',
				...(input.controlPlane
					? {[controlPlaneLabel]: '', 'node.kubernetes.io/exclude-from-external-load-balancers': ''}
					: {}),
			},
			annotations: {'kubeadm.alpha.kubernetes.io/cri-socket': input.criSocket},
		},
		spec: taints.length > 0 ? {taints} : {},
		status: {
			addresses: [
				{type: 'InternalIP', address: input.address},
				{type: 'Hostname', address: input.name},
			],
			conditions: [readyCondition(true, input.at)],
			nodeInfo: {kubeletVersion: input.kubeletVersion, operatingSystem: 'linux', architecture: 'amd64'},
		},
	};
}

/** The Ready condition of a running kubelet, or the one the node lifecycle controller sets when it stops. */
export function readyCondition(ready: boolean, at: Date): Record<string, string> {
	const time = rfc3339(at);
	return ready
		? {
				type: 'Ready',
				status: 'True',
				reason: 'KubeletReady',
				message: 'kubelet is posting ready status',
				lastHeartbeatTime: time,
				lastTransitionTime: time,
			}
		: {
				type: 'Ready',
				status: 'Unknown',
				reason: 'NodeStatusUnknown',
				message: 'Kubelet stopped posting node status.',
				lastHeartbeatTime: time,
				lastTransitionTime: time,
			};
}

export function isReady(node: KubeObject): boolean {
	const status = node['status'] as {conditions?: Array<{type: string; status: string}>} | undefined;
	const conditions = status?.conditions;
	return conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True') ?? false;
}

/** Lease timestamps are MicroTime: RFC 3339 with microseconds. */
export const microTime = (date: Date): string => `${date.toISOString().slice(0, 23)}000Z`;

export function configMap(namespace: string, name: string, data: Record<string, string>): KubeObject {
	return {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name, namespace}, data};
}

export type StatusReason = 'NotFound' | 'Unauthorized' | 'Forbidden' | 'AlreadyExists' | 'BadRequest' | 'InternalError';

export type Status = {
	apiVersion: 'v1';
	kind: 'Status';
	status: 'Failure';
	message: string;
	reason: StatusReason;
	code: number;
};

/** A metav1.Status, the body of every error the API returns. */
export function statusObject(code: number, reason: StatusReason, message: string): Status {
	return {apiVersion: 'v1', kind: 'Status', status: 'Failure', message, reason, code};
}
