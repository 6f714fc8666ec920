// Test fixture for the lab's kubeadm stand-in: the kubelet's part of joining, which the stand-in does in the
// kubelet's place (TLS bootstrap with the bootstrap token, registering the Node), and kubeadm's reading of the
// cluster's configuration.
import {rmSync} from 'node:fs';
import {parse} from 'yaml';
import {KubeApiError, kubeJson, type Target} from './kube-client.ts';
import {now} from './kube-clock.ts';
import {isReady, type KubeObject, nodeObject} from './kube-objects.ts';
import {createCsr} from './kube-pki.ts';
import {
	type ApiEndpoint,
	type ClusterConfiguration,
	clusterConfiguration,
	type NodeRegistration,
	standInVersion,
} from './kubeadm-config.ts';
import {kubeconfigPaths, kubeletClientPath, writeFileWithMode} from './kubeadm-files.ts';
import {KubeadmError} from './kubeadm-output.ts';
import {kubeconfigText} from './kubeconfig.ts';

/** kubeadm's API calls wait for the cluster this long when it cannot be reached (it allows a minute). */
export const apiRetryMs = 30_000;

const configMapPath = (name: string) => `/api/v1/namespaces/kube-system/configmaps/${name}`;

/** "[preflight] Reading configuration from the cluster...": the ClusterConfiguration and KubeletConfiguration init uploaded. */
export async function readClusterConfiguration(
	target: Target,
	local: ApiEndpoint,
): Promise<{cluster: ClusterConfiguration; kubelet: string}> {
	process.stdout.write('[preflight] Reading configuration from the cluster...\n');
	const [kubeadmConfig, kubeletConfig] = await Promise.all(
		['kubeadm-config', 'kubelet-config'].map((name) => kubeJson<KubeObject>(target, 'GET', configMapPath(name))),
	);
	const data = (object: KubeObject | undefined, key: string): string =>
		((object?.['data'] ?? {}) as Record<string, string>)[key] ?? '';
	const cluster = clusterConfiguration(
		parse(data(kubeadmConfig, 'ClusterConfiguration')) as Record<string, unknown>,
		local,
	);
	return {cluster, kubelet: data(kubeletConfig, 'kubelet')};
}

/** kubeadm join refuses a name that a Ready node has already. */
export async function refuseReadyNode(target: Target, name: string): Promise<void> {
	try {
		const node = await kubeJson<KubeObject>(target, 'GET', `/api/v1/nodes/${name}`);
		if (isReady(node)) {
			throw new KubeadmError(
				`a Node with name "${name}" and status "Ready" already exists in the cluster. You must delete the existing Node or change the name of this new joining Node`,
				'kubelet-start',
			);
		}
	} catch (error) {
		if (!(error instanceof KubeApiError && error.status === 404)) throw error;
	}
}

/**
The kubelet's TLS bootstrap: bootstrap-kubelet.conf, a CSR signed at once (kube-apiserver-api.ts), the client
certificate in /var/lib/kubelet/pki, kubelet.conf pointing at it, bootstrap-kubelet.conf removed. Returns the
kubelet's credentials.
*/
export async function tlsBootstrap(bootstrap: Target, clusterName: string, nodeName: string): Promise<Target> {
	const caPem = bootstrap.ca ?? '';
	const server = bootstrap.server;
	const user = `system:node:${nodeName}`;
	writeFileWithMode(
		kubeconfigPaths.bootstrapKubelet,
		kubeconfigText({
			clusterName,
			server,
			caPem,
			user: 'tls-bootstrap-token-user',
			credentials: {token: bootstrap.token ?? ''},
		}),
		0o600,
	);
	process.stdout.write('[kubelet-start] Waiting for the kubelet to perform the TLS Bootstrap\n');
	const {csr, key} = await createCsr({commonName: user, organizations: ['system:nodes']});
	const request = {
		apiVersion: 'certificates.k8s.io/v1',
		kind: 'CertificateSigningRequest',
		metadata: {name: `node-csr-${nodeName}`},
		spec: {
			request: Buffer.from(csr).toString('base64'),
			signerName: 'kubernetes.io/kube-apiserver-client-kubelet',
			usages: ['digital signature', 'client auth'],
		},
	};
	const signed = await kubeJson<{status?: {certificate?: string}}>(
		bootstrap,
		'POST',
		'/apis/certificates.k8s.io/v1/certificatesigningrequests',
		request,
	);
	const cert = Buffer.from(signed.status?.certificate ?? '', 'base64').toString();
	writeFileWithMode(kubeletClientPath, `${cert}${key}`, 0o600);
	const credentials = {certFile: kubeletClientPath, keyFile: kubeletClientPath};
	writeFileWithMode(
		kubeconfigPaths.kubelet,
		kubeconfigText({clusterName, server, caPem, user: 'default-auth', credentials}),
		0o600,
	);
	rmSync(kubeconfigPaths.bootstrapKubelet, {force: true});
	return {server, ca: caPem, cert, key, retryMs: apiRetryMs};
}

export type Registration = {registration: NodeRegistration; address: string; controlPlane: boolean};

/** The node's kubelet-side address: kubeletExtraArgs node-ip, else the given one (kubelet auto-detection). */
export function nodeAddress(registration: NodeRegistration, detected: string): string {
	return registration.kubeletExtraArgs.find((arg) => arg.name === 'node-ip')?.value ?? detected;
}

/**
The kubelet registers its Node (or takes over the existing object, as after a reset) and kubeadm's
mark-control-plane phase labels and taints it; the stand-in writes both at once, with the kubelet's credentials.
*/
export async function registerNode(
	kubelet: Target,
	{registration, address, controlPlane}: Registration,
): Promise<void> {
	const node = nodeObject({
		name: registration.name,
		address,
		controlPlane,
		taints: registration.taints,
		criSocket: registration.criSocket,
		kubeletVersion: standInVersion,
		at: now(),
	});
	try {
		await kubeJson(kubelet, 'POST', '/api/v1/nodes', node);
	} catch (error) {
		if (!(error instanceof KubeApiError && error.status === 409)) throw error;
		await kubeJson(kubelet, 'PUT', `/api/v1/nodes/${registration.name}`, node);
	}
	if (controlPlane) {
		process.stdout.write(
			`[mark-control-plane] Marking the node ${registration.name} as control-plane by adding the labels: [node-role.kubernetes.io/control-plane node.kubernetes.io/exclude-from-external-load-balancers]\n`,
		);
	}
}
