// Test fixture for the lab's kubeadm stand-in: reading a kubeadm.k8s.io/v1beta4 file, strictly, and filling in
// kubeadm's defaults for the fields the stand-in uses.
import {existsSync, readFileSync} from 'node:fs';
import {hostname, networkInterfaces} from 'node:os';
import {parseAllDocuments, stringify} from 'yaml';
import {checkKubeadmConfig} from '../../../helpers/kubeadm-v1beta4.ts';
import type {Taint} from './kube-objects.ts';
import {type BootstrapToken, defaultTokenGroup, defaultTokenTtl, generateToken} from './kube-tokens.ts';
import {KubeadmError} from './kubeadm-output.ts';
import {NotModelled} from './not-modelled.ts';

/** The version this stand-in claims to be (kubeadm, kubelet and the control plane alike). */
export const standInVersion = 'v1.37.1';
export const kubeadmGroup = 'kubeadm.k8s.io/v1beta4';

export type Arg = {name: string; value?: string};
export type ApiEndpoint = {advertiseAddress: string; bindPort: number};

export type NodeRegistration = {
	name: string;
	criSocket: string;
	/** null/undefined: kubeadm's default taint for control planes; [] none. */
	taints: Taint[] | null | undefined;
	kubeletExtraArgs: Arg[];
	ignorePreflightErrors: string[];
};

export type InitConfiguration = {
	bootstrapTokens: BootstrapToken[];
	nodeRegistration: NodeRegistration;
	localAPIEndpoint: ApiEndpoint;
	certificateKey?: string;
	skipPhases: string[];
};

export type EtcdConfiguration = {
	local?: {dataDir: string; serverCertSANs: string[]; peerCertSANs: string[]};
	external?: {endpoints: string[]; caFile?: string; certFile?: string; keyFile?: string};
};

export type ClusterConfiguration = {
	clusterName: string;
	kubernetesVersion: string;
	/** host:port, always with a port: the configured one, or the init node's API endpoint. */
	controlPlaneEndpoint: string;
	/** Whether controlPlaneEndpoint was configured: kubeadm adds control planes only to a cluster with one. */
	endpointConfigured: boolean;
	certificatesDir: string;
	networking: {serviceSubnet: string; podSubnet?: string; dnsDomain: string};
	apiServer: {certSANs: string[]; extraArgs: Arg[]};
	controllerManager: {extraArgs: Arg[]};
	scheduler: {extraArgs: Arg[]};
	etcd: EtcdConfiguration;
};

export type JoinConfiguration = {
	nodeRegistration: NodeRegistration;
	caCertPath: string;
	discovery: {
		token: string;
		apiServerEndpoint: string;
		/** Empty only with unsafeSkipCAVerification (the checker makes sure). */
		caCertHashes: string[];
		tlsBootstrapToken: string;
	};
	controlPlane?: {localAPIEndpoint: ApiEndpoint; certificateKey?: string};
};

/** Phases whose work has no trace in the lab (no addons run), so skipping them changes nothing here. */
const skippablePhases = new Set(['addon', 'addon/coredns', 'addon/kube-proxy', 'show-join-command']);

export type Document = Record<string, unknown>;

/** The host's address on its network, which kubeadm and the kubelet pick when none is configured. */
export function hostAddress(): string {
	const address = Object.values(networkInterfaces())
		.flat()
		.find((entry) => entry !== undefined && entry.family === 'IPv4' && !entry.internal)?.address;
	if (address === undefined) throw new NotModelled('a host without an IPv4 address (kubeadm would pick one)');
	return address;
}

/** Reads and strictly checks a config file: every problem `kubeadm config validate` would report refuses it. */
export function readConfigDocuments(path: string): Map<string, Document> {
	if (!existsSync(path)) {
		throw new KubeadmError(`unable to read config from "${path}" : open ${path}: no such file or directory`);
	}
	return checkedDocuments(readFileSync(path, 'utf8'), path);
}

/** The documents of a configuration by kind, once checkKubeadmConfig finds no problem in them. */
export function checkedDocuments(text: string, source: string): Map<string, Document> {
	const problems = checkKubeadmConfig(text);
	if (problems.length > 0) {
		throw new KubeadmError(
			[
				`the configuration in ${source} is invalid:`,
				...problems.map((problem) => `\t${problem}`),
				'(kubeha lab stand-in: real kubeadm init/join only warn about unknown fields, but `kubeadm config validate` refuses them, and so does this stand-in, so that no such problem goes unnoticed)',
			].join('\n'),
		);
	}
	return new Map(
		parseAllDocuments(text).map((document) => {
			const data = document.toJS() as Document;
			return [String(data['kind']), data];
		}),
	);
}

const record = (value: unknown): Document => (value ?? {}) as Document;
const strings = (value: unknown): string[] => (value ?? []) as string[];
const args = (value: unknown): Arg[] => (value ?? []) as Arg[];

export function refuseUnskippablePhases(phases: readonly string[], where: string): void {
	for (const phase of phases) {
		if (!skippablePhases.has(phase)) {
			throw new NotModelled(`${where}: skipping phase ${phase} (modelled: ${[...skippablePhases].join(', ')})`);
		}
	}
}

function refuseUnmodelled(document: Document, kind: string): void {
	if (document['dryRun'] === true) throw new NotModelled(`${kind}.dryRun`);
	if (document['patches'] !== undefined) throw new NotModelled(`${kind}.patches (the stand-in runs no static pods)`);
	refuseUnskippablePhases(strings(document['skipPhases']), `${kind}.skipPhases`);
}

function nodeRegistration(value: unknown): NodeRegistration {
	const registration = record(value);
	return {
		name: (registration['name'] as string | undefined) ?? hostname().toLowerCase(),
		criSocket: (registration['criSocket'] as string | undefined) ?? 'unix:///var/run/containerd/containerd.sock',
		taints: registration['taints'] as Taint[] | null | undefined,
		kubeletExtraArgs: args(registration['kubeletExtraArgs']),
		ignorePreflightErrors: strings(registration['ignorePreflightErrors']),
	};
}

function apiEndpoint(value: unknown): ApiEndpoint {
	const endpoint = record(value);
	return {
		advertiseAddress: (endpoint['advertiseAddress'] as string | undefined) ?? hostAddress(),
		bindPort: (endpoint['bindPort'] as number | undefined) ?? 6443,
	};
}

/** kubeadm's defaults for bootstrap tokens: a generated one when none is given; signing+authentication, 24 h. */
function bootstrapTokens(value: unknown, generate: () => string): BootstrapToken[] {
	const tokens = (value as BootstrapToken[] | undefined) ?? [{token: generate()}];
	return tokens.map((token) => ({
		...token,
		ttl: token.expires === undefined ? (token.ttl ?? defaultTokenTtl) : undefined,
		usages: token.usages ?? ['signing', 'authentication'],
		groups: token.groups ?? [defaultTokenGroup],
	}));
}

export function initConfiguration(document: Document | undefined, generateToken: () => string): InitConfiguration {
	const init = record(document);
	refuseUnmodelled(init, 'InitConfiguration');
	const key = init['certificateKey'] as string | undefined;
	return {
		bootstrapTokens: bootstrapTokens(init['bootstrapTokens'], generateToken),
		nodeRegistration: nodeRegistration(init['nodeRegistration']),
		localAPIEndpoint: apiEndpoint(init['localAPIEndpoint']),
		...(key === undefined ? {} : {certificateKey: key}),
		skipPhases: strings(init['skipPhases']),
	};
}

/** host[:port] with kubeadm's rule: no port means the API server's bindPort. */
function withPort(endpoint: string, bindPort: number): string {
	const hasPort = /^\[.*\]:\d+$/.test(endpoint) || (!endpoint.startsWith('[') && /^[^:]+:\d+$/.test(endpoint));
	return hasPort ? endpoint : `${endpoint}:${bindPort}`;
}

/** The ClusterConfiguration with kubeadm's defaults; `local` is the API endpoint of the node running init. */
export function clusterConfiguration(document: Document | undefined, local: ApiEndpoint): ClusterConfiguration {
	const cluster = record(document);
	if (cluster['encryptionAlgorithm'] !== undefined && cluster['encryptionAlgorithm'] !== 'RSA-2048') {
		throw new NotModelled(`ClusterConfiguration.encryptionAlgorithm ${String(cluster['encryptionAlgorithm'])}`);
	}
	if (cluster['featureGates'] !== undefined) throw new NotModelled('ClusterConfiguration.featureGates');
	const networking = record(cluster['networking']);
	const etcd = record(cluster['etcd']);
	const externalEtcd = etcd['external'] as EtcdConfiguration['external'];
	const localEtcd = record(etcd['local']);
	const endpoint = cluster['controlPlaneEndpoint'] as string | undefined;
	const podSubnet = networking['podSubnet'] as string | undefined;
	return {
		clusterName: (cluster['clusterName'] as string | undefined) ?? 'kubernetes',
		kubernetesVersion: (cluster['kubernetesVersion'] as string | undefined) ?? standInVersion,
		controlPlaneEndpoint: withPort(endpoint ?? local.advertiseAddress, local.bindPort),
		endpointConfigured: endpoint !== undefined,
		certificatesDir: (cluster['certificatesDir'] as string | undefined) ?? '/etc/kubernetes/pki',
		networking: {
			serviceSubnet: (networking['serviceSubnet'] as string | undefined) ?? '10.96.0.0/12',
			...(podSubnet === undefined ? {} : {podSubnet}),
			dnsDomain: (networking['dnsDomain'] as string | undefined) ?? 'cluster.local',
		},
		apiServer: {
			certSANs: strings(record(cluster['apiServer'])['certSANs']),
			extraArgs: args(record(cluster['apiServer'])['extraArgs']),
		},
		controllerManager: {extraArgs: args(record(cluster['controllerManager'])['extraArgs'])},
		scheduler: {extraArgs: args(record(cluster['scheduler'])['extraArgs'])},
		// Neither local nor external: kubeadm defaults to a local (stacked) etcd.
		etcd:
			externalEtcd === undefined
				? {
						local: {
							dataDir: (localEtcd['dataDir'] as string | undefined) ?? '/var/lib/etcd',
							serverCertSANs: strings(localEtcd['serverCertSANs']),
							peerCertSANs: strings(localEtcd['peerCertSANs']),
						},
					}
				: {external: externalEtcd},
	};
}

/** A file's InitConfiguration and ClusterConfiguration with kubeadm's defaults, as init's phases read them. */
export function readInitConfiguration(path: string): {init: InitConfiguration; cluster: ClusterConfiguration} {
	const documents = readConfigDocuments(path);
	const init = initConfiguration(documents.get('InitConfiguration'), generateToken);
	return {init, cluster: clusterConfiguration(documents.get('ClusterConfiguration'), init.localAPIEndpoint)};
}

/** The defaulted ClusterConfiguration as kubeadm stores it in the kubeadm-config ConfigMap (no endpoint if none was set). */
export function clusterConfigurationText({
	endpointConfigured,
	controlPlaneEndpoint,
	...cluster
}: ClusterConfiguration): string {
	const endpoint = endpointConfigured ? {controlPlaneEndpoint} : {};
	return stringify({apiVersion: kubeadmGroup, kind: 'ClusterConfiguration', ...endpoint, ...cluster});
}

export function joinConfiguration(document: Document): JoinConfiguration {
	refuseUnmodelled(document, 'JoinConfiguration');
	const discovery = record(document['discovery']);
	if (discovery['file'] !== undefined) throw new NotModelled('JoinConfiguration.discovery.file (file discovery)');
	const bootstrap = record(discovery['bootstrapToken']);
	const token = bootstrap['token'] as string;
	const controlPlane = document['controlPlane'] as Document | undefined;
	const key = controlPlane?.['certificateKey'] as string | undefined;
	return {
		nodeRegistration: nodeRegistration(document['nodeRegistration']),
		caCertPath: (document['caCertPath'] as string | undefined) ?? '/etc/kubernetes/pki/ca.crt',
		discovery: {
			token,
			apiServerEndpoint: bootstrap['apiServerEndpoint'] as string,
			caCertHashes: strings(bootstrap['caCertHashes']),
			tlsBootstrapToken: (discovery['tlsBootstrapToken'] as string | undefined) ?? token,
		},
		...(controlPlane === undefined
			? {}
			: {
					controlPlane: {
						localAPIEndpoint: apiEndpoint(controlPlane['localAPIEndpoint']),
						...(key === undefined ? {} : {certificateKey: key}),
					},
				}),
	};
}
