import {existsSync} from 'node:fs';
import type {ConfigurationOptions, CoordinationV1Api, V1Node} from '@kubernetes/client-node';
import type {KubernetesStatus, LeaseStatus, NodeReadiness} from './types.ts';

/** The leases kube-controller-manager and kube-scheduler elect their leader with (the default lock since 1.20). */
export const leaderLeases = ['kube-controller-manager', 'kube-scheduler'] as const;

/** @kubernetes/client-node, loaded when a kubeconfig is there: the other commands do not pay for its start-up. */
type Client = typeof import('@kubernetes/client-node');

/** How long the API may take to answer all requests of one probe. */
const requestTimeoutMs = 5000;

/**
Nodes and leader leases through the Kubernetes API, with the kubeconfig kubeha apply fetched (its server is the
control plane endpoint, so this also tells whether the VIP and load balancer carry the API). No kubeconfig: not
asked. A failure is the API's answer (a Status message) or the connection's error, never a stack trace.
*/
export async function readKubernetes(
	kubeconfigPath: string,
	{now, signal}: {readonly now: () => number; readonly signal?: AbortSignal},
): Promise<KubernetesStatus> {
	if (!existsSync(kubeconfigPath)) {
		return {answered: false, kubeconfig: 'missing', path: kubeconfigPath};
	}

	const client = await import('@kubernetes/client-node');
	const config = new client.KubeConfig();
	config.loadFromFile(kubeconfigPath);
	const server = config.getCurrentCluster()?.server ?? 'no server in the kubeconfig';
	const timeout = AbortSignal.timeout(requestTimeoutMs);
	const options = withSignal(client, signal ? AbortSignal.any([signal, timeout]) : timeout);
	try {
		const [nodes, ...leases] = await Promise.all([
			config.makeApiClient(client.CoreV1Api).listNode({}, options),
			...leaderLeases.map((name) =>
				readLease(client, config.makeApiClient(client.CoordinationV1Api), name, now(), options),
			),
		]);
		return {answered: true, server, nodes: nodes.items.map((node) => readinessOf(node)), leases};
	} catch (error) {
		return {
			answered: false,
			kubeconfig: 'present',
			server,
			error: timeout.aborted ? `no answer within ${requestTimeoutMs / 1000} s` : apiErrorText(client, error),
		};
	}
}

/** Per-request options that make the request abortable (the client has no timeout of its own). */
const withSignal = ({Observable}: Client, signal: AbortSignal): ConfigurationOptions => ({
	middleware: [
		{
			pre(context) {
				context.setSignal(signal);
				return new Observable(Promise.resolve(context));
			},
			post: (context) => new Observable(Promise.resolve(context)),
		},
	],
	middlewareMergeStrategy: 'append',
});

async function readLease(
	{ApiException}: Client,
	api: CoordinationV1Api,
	name: string,
	now: number,
	options: ConfigurationOptions,
): Promise<LeaseStatus> {
	try {
		const {spec} = await api.readNamespacedLease({name, namespace: 'kube-system'}, options);
		// MicroTime comes as an RFC 3339 string, whatever the client's types say.
		const renewed = spec?.renewTime === undefined ? Number.NaN : new Date(spec.renewTime).getTime();
		return {
			name,
			...(spec?.holderIdentity ? {holderIdentity: spec.holderIdentity} : {}),
			...(Number.isNaN(renewed) ? {} : {renewedSecondsAgo: Math.max(0, Math.round((now - renewed) / 1000))}),
			...(spec?.leaseDurationSeconds === undefined ? {} : {durationSeconds: spec.leaseDurationSeconds}),
		};
	} catch (error) {
		// No lease yet: nobody has been elected (or the component never ran).
		if (error instanceof ApiException && error.code === 404) {
			return {name};
		}

		throw error;
	}
}

function readinessOf(node: V1Node): NodeReadiness {
	const condition = node.status?.conditions?.find((candidate) => candidate.type === 'Ready');
	const ready = condition?.status === 'True' || condition?.status === 'False' ? condition.status : 'Unknown';
	const reason = [condition?.reason, condition?.message].filter(Boolean).join(': ');
	return {
		name: node.metadata?.name ?? '',
		ready,
		...(ready === 'True' ? {} : {reason: reason || 'the node has no Ready condition'}),
	};
}

/** The Status message of an API error, or the network error underneath a failed request. */
function apiErrorText({ApiException}: Client, error: unknown): string {
	if (error instanceof ApiException) {
		const body = typeof error.body === 'string' ? error.body : JSON.stringify(error.body);
		const message = /"message":"((?:[^"\\]|\\.)*)"/.exec(body ?? '')?.[1];
		return `HTTP ${error.code}${message ? `: ${message.replaceAll('\\"', '"')}` : ''}`;
	}

	const cause = (error as {cause?: {code?: string; message?: string}}).cause;
	return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
