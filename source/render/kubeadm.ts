import {stringify} from 'yaml';
import {caCertHash} from '../secrets/ca-hash.ts';
import {
	type ClusterSpec,
	controlPlaneEndpoint,
	controlPlanes,
	etcdMembers,
	firstControlPlane,
	hasRole,
	runsKubelet,
	vipAddress,
} from '../spec/cluster.ts';
import type {NodeSpec} from '../spec/schema.ts';
import {apiserverEtcdClientPaths, etcdCaCertPath, etcdClientUrl} from './etcd.ts';
import type {NodeRenderer, RenderContext, RenderedFile} from './types.ts';

export const kubeadmInitPath = '/etc/kubeha/kubeadm-init.yaml';
export const kubeadmJoinPath = '/etc/kubeha/kubeadm-join.yaml';
export const clusterCaPaths = {cert: '/etc/kubernetes/pki/ca.crt', key: '/etc/kubernetes/pki/ca.key'} as const;

const kubeadmApiVersion = 'kubeadm.k8s.io/v1beta4';
const criSocket = 'unix:///run/containerd/containerd.sock';

/**
kubeadm's configuration: `kubeadm init` on the first control plane (which also gets the cluster CA kubeha made,
so that every join file can pin its hash), `kubeadm join` everywhere else a kubelet runs.
*/
export const kubeadmFiles: NodeRenderer = (context, node) => {
	if (!runsKubelet(node)) {
		return [];
	}

	if (node.name === firstControlPlane(context.spec)?.name) {
		const {cert, key} = context.secrets.clusterCa;
		return [
			configFile(kubeadmInitPath, initDocuments(context, node)),
			{path: clusterCaPaths.cert, content: cert, mode: 0o644, secret: false},
			{path: clusterCaPaths.key, content: key, mode: 0o600, secret: true},
		];
	}

	return [configFile(kubeadmJoinPath, [joinConfiguration(context, node)])];
};

/** Both files hold the bootstrap token and the certificate key. */
function configFile(path: string, documents: readonly object[]): RenderedFile {
	const header = `# Rendered by kubeha. Holds the bootstrap token${path === kubeadmInitPath ? ' and the certificate key' : ''}: keep it 0600.\n`;
	const body = documents.map((document) => stringify(document, {lineWidth: 0})).join('---\n');
	return {path, content: header + body, mode: 0o600, secret: true};
}

function initDocuments(context: RenderContext, node: NodeSpec): object[] {
	const {spec, secrets} = context;
	const initConfiguration = {
		apiVersion: kubeadmApiVersion,
		kind: 'InitConfiguration',
		bootstrapTokens: [
			{
				token: secrets.bootstrapToken,
				description: `kubeha: joins the nodes of ${spec.name}`,
				ttl: '24h',
				usages: ['signing', 'authentication'],
				groups: ['system:bootstrappers:kubeadm:default-node-token'],
			},
		],
		nodeRegistration: nodeRegistration(node),
		localAPIEndpoint: localApiEndpoint(spec, node),
		// Here, not as --certificate-key: kubeadm refuses that flag next to --config.
		certificateKey: secrets.certificateKey,
	};
	const clusterConfiguration = {
		apiVersion: kubeadmApiVersion,
		kind: 'ClusterConfiguration',
		clusterName: spec.name,
		kubernetesVersion: `v${spec.kubernetes.version}`,
		controlPlaneEndpoint: endpointOf(spec),
		networking: {
			podSubnet: spec.kubernetes.podSubnet,
			serviceSubnet: spec.kubernetes.serviceSubnet,
			dnsDomain: spec.kubernetes.dnsDomain,
		},
		apiServer: {certSANs: apiServerCertSans(spec)},
		etcd: etcdConfiguration(spec),
	};
	const kubeletConfiguration = {
		apiVersion: 'kubelet.config.k8s.io/v1beta1',
		kind: 'KubeletConfiguration',
		// Must match containerd's SystemdCgroup = true; kubeadm defaults it too, written here so the pair is visible.
		cgroupDriver: 'systemd',
	};
	return [initConfiguration, clusterConfiguration, kubeletConfiguration];
}

function joinConfiguration(context: RenderContext, node: NodeSpec): object {
	const {spec, secrets} = context;
	return {
		apiVersion: kubeadmApiVersion,
		kind: 'JoinConfiguration',
		nodeRegistration: nodeRegistration(node),
		discovery: {
			bootstrapToken: {
				token: secrets.bootstrapToken,
				apiServerEndpoint: endpointOf(spec),
				// The pin is what makes token discovery safe: without it any host answering at the endpoint is trusted.
				caCertHashes: [caCertHash(secrets.clusterCa.cert)],
			},
		},
		...(hasRole(node, 'control-plane')
			? {controlPlane: {localAPIEndpoint: localApiEndpoint(spec, node), certificateKey: secrets.certificateKey}}
			: {}),
	};
}

/**
A control plane that is also a worker drops kubeadm's default NoSchedule taint (`taints: []`); leaving the field
out keeps it.
*/
const nodeRegistration = (node: NodeSpec) => ({
	name: node.name,
	criSocket,
	...(hasRole(node, 'control-plane') && hasRole(node, 'worker') ? {taints: []} : {}),
});

const localApiEndpoint = (spec: ClusterSpec, node: NodeSpec) => ({
	advertiseAddress: node.address,
	bindPort: spec.apiServer.bindPort,
});

function endpointOf(spec: ClusterSpec): string {
	const endpoint = controlPlaneEndpoint(spec);
	if (endpoint === undefined) {
		throw new Error(
			'the spec has no control plane endpoint (loadBalancer.vip or loadBalancer.endpoint); validate it before rendering',
		);
	}

	return endpoint;
}

/** `host:port` or `[v6]:port` → host. */
const hostOf = (endpoint: string): string => endpoint.replace(/:\d+$/, '').replace(/^\[(.*)]$/, '$1');

/**
Every name a client may use for the API: the VIP, the external endpoint, each control plane by name and
address, and the names the user added. kubeadm adds the service and in-cluster names itself.
*/
export function apiServerCertSans(spec: ClusterSpec): string[] {
	const names = [
		vipAddress(spec),
		spec.loadBalancer.mode === 'external' && spec.loadBalancer.endpoint
			? hostOf(spec.loadBalancer.endpoint)
			: undefined,
		...controlPlanes(spec).flatMap((node) => [node.name, node.address]),
		...spec.apiServer.certSANs,
	];
	return [...new Set(names.filter((name): name is string => name !== undefined))].sort();
}

function etcdConfiguration(spec: ClusterSpec): object {
	if (spec.etcd.topology === 'stacked') {
		return {local: {dataDir: '/var/lib/etcd'}};
	}

	return {
		external: {
			endpoints: etcdMembers(spec).map((node) => etcdClientUrl(node)),
			caFile: etcdCaCertPath,
			certFile: apiserverEtcdClientPaths.cert,
			keyFile: apiserverEtcdClientPaths.key,
		},
	};
}
