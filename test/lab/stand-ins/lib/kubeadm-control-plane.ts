// Test fixture for the lab's kubeadm stand-in: what init and a control-plane join write on a control plane
// (certs, kubeconfig, control-plane, kubelet-start phases) and the kube-apiserver stand-in's flags.
import {existsSync, readFileSync} from 'node:fs';
import {isIP} from 'node:net';
import {basename, join} from 'node:path';
import {stringify} from 'yaml';
import {apiserverStateFile} from './kube-apiserver-process.ts';
import {
	createCa,
	type Issuer,
	issueLeaf,
	issuerOf,
	type KeyPair,
	type LeafProfile,
	serviceAccountKeys,
} from './kube-pki.ts';
import type {ApiEndpoint, Arg, ClusterConfiguration, NodeRegistration} from './kubeadm-config.ts';
import {
	kubeconfigPaths,
	kubeletConfigPath,
	kubeletFlagsPath,
	manifestsDirectory,
	writeFileWithMode,
	writePair,
} from './kubeadm-files.ts';
import {KubeadmError} from './kubeadm-output.ts';
import {connectionFromKubeconfig, kubeconfigText} from './kubeconfig.ts';
import {NotModelled} from './not-modelled.ts';

export type ControlPlaneNode = {cluster: ClusterConfiguration; registration: NodeRegistration; endpoint: ApiEndpoint};

const say = (line: string) => process.stdout.write(`${line}\n`);

/** The host part of host:port or [v6]:port. */
const hostOf = (endpoint: string): string => endpoint.replace(/:\d+$/, '').replace(/^\[(.*)]$/, '$1');

/** The n-th address of the service subnet: 1 is kube-apiserver's in-cluster IP, 10 cluster DNS's (IPv4 only here). */
export function serviceAddress(serviceSubnet: string, index: number): string {
	const [network = ''] = serviceSubnet.split(',');
	const [address = '', prefix = ''] = network.split('/');
	if (isIP(address) !== 4) throw new NotModelled(`an IPv6 service subnet (${serviceSubnet})`);
	const value = address.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
	const size = 2 ** (32 - Number(prefix));
	const wanted = value - (value % size) + index;
	return [24, 16, 8, 0].map((shift) => Math.floor(wanted / 2 ** shift) % 256).join('.');
}

/** Splits names into DNS names and IP addresses, without repeats. */
function names(values: readonly string[]): {dnsNames: string[]; ipAddresses: string[]} {
	const unique = [...new Set(values)];
	return {
		dnsNames: unique.filter((value) => isIP(value) === 0),
		ipAddresses: unique.filter((value) => isIP(value) !== 0),
	};
}

/** A CA from disk (the files kubeha or download-certs put there), or a new one when `create` allows it. */
async function loadCa(directory: string, base: string, commonName: string, create: boolean): Promise<KeyPair> {
	const paths = {cert: join(directory, `${base}.crt`), key: join(directory, `${base}.key`)};
	if (existsSync(paths.cert) && existsSync(paths.key)) {
		say(`[certs] Using existing ${base} certificate authority`);
		return {cert: readFileSync(paths.cert, 'utf8'), key: readFileSync(paths.key, 'utf8')};
	}
	if (!create)
		throw new NotModelled(`a control-plane join without ${paths.cert} and ${paths.key} (they come from kubeadm-certs)`);
	say(`[certs] Generating "${base}" certificate and key`);
	const ca = await createCa(commonName);
	writePair(directory, base, ca);
	return ca;
}

type Leaf = {base: string; issuer: Issuer; profile: LeafProfile};

/** Existing pairs are kept, as kubeadm keeps them (it would also check their names, which this does not). */
async function writeLeaves(directory: string, leaves: readonly Leaf[]): Promise<void> {
	await Promise.all(
		leaves.map(async ({base, issuer, profile}) => {
			if (existsSync(join(directory, `${base}.crt`)) && existsSync(join(directory, `${base}.key`))) {
				say(`[certs] Using existing ${base} certificate and key on disk`);
				return;
			}
			writePair(directory, base, await issueLeaf(issuer, profile));
			say(`[certs] Generating "${base}" certificate and key`);
		}),
	);
}

/**
The certs phase: the shared CAs and service-account keys (made at init when kubeha did not provide them; on a
joining control plane they were downloaded), then this node's own certificates.
*/
export async function writeCertificates(
	{cluster, registration, endpoint}: ControlPlaneNode,
	isInit: boolean,
): Promise<KeyPair> {
	const directory = cluster.certificatesDir;
	say(`[certs] Using certificateDir folder "${directory}"`);
	const ca = await loadCa(directory, 'ca', 'kubernetes', isInit);
	const frontProxyCa = await loadCa(directory, 'front-proxy-ca', 'front-proxy-ca', isInit);
	if (!existsSync(join(directory, 'sa.key'))) {
		if (!isInit) throw new NotModelled(`a control-plane join without ${join(directory, 'sa.key')}`);
		say('[certs] Generating "sa" key and public key');
		const keys = await serviceAccountKeys();
		writeFileWithMode(join(directory, 'sa.key'), keys.key, 0o600);
		writeFileWithMode(join(directory, 'sa.pub'), keys.pub, 0o644);
	}
	const [caIssuer, frontProxyIssuer] = await Promise.all([issuerOf(ca), issuerOf(frontProxyCa)]);
	const apiserverNames = names([
		registration.name,
		'kubernetes',
		'kubernetes.default',
		'kubernetes.default.svc',
		`kubernetes.default.svc.${cluster.networking.dnsDomain}`,
		serviceAddress(cluster.networking.serviceSubnet, 1),
		endpoint.advertiseAddress,
		hostOf(cluster.controlPlaneEndpoint),
		...cluster.apiServer.certSANs,
	]);
	say(
		`[certs] apiserver serving cert is signed for DNS names [${apiserverNames.dnsNames.join(' ')}] and IPs [${apiserverNames.ipAddresses.join(' ')}]`,
	);
	const leaves: Leaf[] = [
		{
			base: 'apiserver',
			issuer: caIssuer,
			profile: {commonName: 'kube-apiserver', usages: ['serverAuth'], ...apiserverNames},
		},
		{
			base: 'apiserver-kubelet-client',
			issuer: caIssuer,
			profile: {
				commonName: 'kube-apiserver-kubelet-client',
				organizations: ['kubeadm:cluster-admins'],
				usages: ['clientAuth'],
			},
		},
		{
			base: 'front-proxy-client',
			issuer: frontProxyIssuer,
			profile: {commonName: 'front-proxy-client', usages: ['clientAuth']},
		},
	];
	const local = cluster.etcd.local;
	if (local !== undefined) {
		const etcdCa = await loadCa(directory, 'etcd/ca', 'etcd-ca', isInit);
		const etcdIssuer = await issuerOf(etcdCa);
		const member = (extra: readonly string[]) =>
			names([registration.name, 'localhost', endpoint.advertiseAddress, '127.0.0.1', '::1', ...extra]);
		leaves.push(
			{
				base: 'etcd/server',
				issuer: etcdIssuer,
				profile: {commonName: registration.name, usages: ['serverAuth', 'clientAuth'], ...member(local.serverCertSANs)},
			},
			{
				base: 'etcd/peer',
				issuer: etcdIssuer,
				profile: {commonName: registration.name, usages: ['serverAuth', 'clientAuth'], ...member(local.peerCertSANs)},
			},
			{
				base: 'etcd/healthcheck-client',
				issuer: etcdIssuer,
				profile: {commonName: 'kube-etcd-healthcheck-client', usages: ['clientAuth']},
			},
			{
				base: 'apiserver-etcd-client',
				issuer: etcdIssuer,
				profile: {commonName: 'kube-apiserver-etcd-client', usages: ['clientAuth']},
			},
		);
	}
	await writeLeaves(directory, leaves);
	return ca;
}

type KubeconfigSpec = {path: string; user: string; organizations?: string[]; server: string};

/** An existing kubeconfig is kept when it trusts the same CA, as kubeadm does; another CA is kubeadm's error. */
function keepExisting(path: string, ca: KeyPair): boolean {
	if (!existsSync(path)) return false;
	const existing = connectionFromKubeconfig(readFileSync(path, 'utf8'), path);
	if (existing.ca?.trim() !== ca.cert.trim()) {
		throw new KubeadmError(
			`a kubeconfig file "${path}" exists already but has got the wrong CA cert`,
			`kubeconfig/${basename(path, '.conf')}`,
		);
	}
	say(`[kubeconfig] Using existing kubeconfig file: "${path}"`);
	return true;
}

/**
The kubeconfig phase: admin.conf through the endpoint; at init also super-admin.conf and kubelet.conf (a joining
node's kubelet gets its own by TLS bootstrap); the controller-manager's and scheduler's to the local apiserver.
*/
export async function writeKubeconfigs(
	{cluster, registration, endpoint}: ControlPlaneNode,
	ca: KeyPair,
	isInit: boolean,
): Promise<void> {
	const shared = `https://${cluster.controlPlaneEndpoint}`;
	const local = `https://${endpoint.advertiseAddress}:${endpoint.bindPort}`;
	const files: KubeconfigSpec[] = [
		{path: kubeconfigPaths.admin, user: 'kubernetes-admin', organizations: ['kubeadm:cluster-admins'], server: shared},
		...(isInit
			? [
					{
						path: kubeconfigPaths.superAdmin,
						user: 'kubernetes-super-admin',
						organizations: ['system:masters'],
						server: shared,
					},
					{
						path: kubeconfigPaths.kubelet,
						user: `system:node:${registration.name}`,
						organizations: ['system:nodes'],
						server: shared,
					},
				]
			: []),
		{path: kubeconfigPaths.controllerManager, user: 'system:kube-controller-manager', server: local},
		{path: kubeconfigPaths.scheduler, user: 'system:kube-scheduler', server: local},
	];
	const issuer = await issuerOf(ca);
	await Promise.all(
		files
			.filter(({path}) => !keepExisting(path, ca))
			.map(async ({path, user, organizations, server}) => {
				const pair = await issueLeaf(issuer, {
					commonName: user,
					...(organizations ? {organizations} : {}),
					usages: ['clientAuth'],
				});
				const text = kubeconfigText({
					clusterName: cluster.clusterName,
					server,
					caPem: ca.cert,
					user,
					credentials: pair,
				});
				writeFileWithMode(path, text, 0o600);
				say(`[kubeconfig] Writing "${basename(path)}" kubeconfig file`);
			}),
	);
}

/** The component's flags by name: kubeadm's, with the cluster's extraArgs over them. */
function withExtraArgs(defaults: Record<string, string>, extraArgs: readonly Arg[]): Record<string, string> {
	const flags = {...defaults};
	for (const {name, value} of extraArgs) flags[name] = value ?? '';
	return flags;
}

const flagList = (flags: Record<string, string>): string[] =>
	Object.entries(flags).map(([name, value]) => `--${name}=${value}`);

const flagsOf = (defaults: Record<string, string>, extraArgs: readonly Arg[]): string[] =>
	flagList(withExtraArgs(defaults, extraArgs));

/** A static Pod manifest like kubeadm's, marked as one that no kubelet runs in the lab. */
function staticPod(name: string, image: string, command: string[], annotations: Record<string, string> = {}): string {
	return stringify({
		apiVersion: 'v1',
		kind: 'Pod',
		metadata: {
			name,
			namespace: 'kube-system',
			labels: {component: name, tier: 'control-plane'},
			annotations: {
				...annotations,
				'lab.kubeha/stand-in': 'not run: no kubelet runs in the kubeha lab; the kube-apiserver stand-in serves instead',
			},
		},
		spec: {hostNetwork: true, priorityClassName: 'system-node-critical', containers: [{name, image, command}]},
	});
}

/** kube-apiserver's flags in the static pod manifest kubeadm writes (the part of them the stand-in writes). */
export function apiserverManifestFlags({cluster, endpoint}: ControlPlaneNode): Record<string, string> {
	const directory = cluster.certificatesDir;
	return withExtraArgs(
		{
			'advertise-address': endpoint.advertiseAddress,
			'secure-port': String(endpoint.bindPort),
			'client-ca-file': join(directory, 'ca.crt'),
			'enable-bootstrap-token-auth': 'true',
			'etcd-servers': cluster.etcd.external?.endpoints.join(',') ?? 'https://127.0.0.1:2379',
			'service-cluster-ip-range': cluster.networking.serviceSubnet,
			'service-account-key-file': join(directory, 'sa.pub'),
			'service-account-signing-key-file': join(directory, 'sa.key'),
			'tls-cert-file': join(directory, 'apiserver.crt'),
			'tls-private-key-file': join(directory, 'apiserver.key'),
		},
		cluster.apiServer.extraArgs,
	);
}

/**
The kube-apiserver stand-in's flags: its manifest's, as the kubelet would run it, plus what only the stand-in
needs (kube-apiserver's own names where there is one, --lab-* otherwise).
*/
export function apiserverFlags(node: ControlPlaneNode, syncFrom?: string): Record<string, string> {
	const {cluster, endpoint} = node;
	const directory = cluster.certificatesDir;
	const external = cluster.etcd.external;
	return {
		...apiserverManifestFlags(node),
		// The real one binds 0.0.0.0; the stand-in keeps to the node's address (see README.md).
		'bind-address': endpoint.advertiseAddress,
		'etcd-cafile': external?.caFile ?? join(directory, 'etcd/ca.crt'),
		'etcd-certfile': external?.certFile ?? join(directory, 'apiserver-etcd-client.crt'),
		'etcd-keyfile': external?.keyFile ?? join(directory, 'apiserver-etcd-client.key'),
		'cluster-signing-cert-file': join(directory, 'ca.crt'),
		'cluster-signing-key-file': join(directory, 'ca.key'),
		'lab-state-file': apiserverStateFile,
		'lab-version': cluster.kubernetesVersion,
		...(syncFrom === undefined ? {} : {'lab-sync-from': syncFrom}),
	};
}

/** The control-plane (and, for stacked etcd, etcd) phase: manifests as kubeadm writes them, which nothing runs here. */
export function writeStaticPodManifests(node: ControlPlaneNode): void {
	const {cluster, endpoint} = node;
	const image = (name: string) => `registry.k8s.io/${name}:${cluster.kubernetesVersion}`;
	const apiserver = flagList(apiserverManifestFlags(node));
	const endpointAnnotation = {
		'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': `${endpoint.advertiseAddress}:${endpoint.bindPort}`,
	};
	const manifests: Record<string, string> = {
		'kube-apiserver': staticPod(
			'kube-apiserver',
			image('kube-apiserver'),
			['kube-apiserver', ...apiserver],
			endpointAnnotation,
		),
		'kube-controller-manager': staticPod('kube-controller-manager', image('kube-controller-manager'), [
			'kube-controller-manager',
			...flagsOf(
				{kubeconfig: kubeconfigPaths.controllerManager, 'leader-elect': 'true'},
				cluster.controllerManager.extraArgs,
			),
		]),
		'kube-scheduler': staticPod('kube-scheduler', image('kube-scheduler'), [
			'kube-scheduler',
			...flagsOf({kubeconfig: kubeconfigPaths.scheduler, 'leader-elect': 'true'}, cluster.scheduler.extraArgs),
		]),
	};
	if (cluster.etcd.local !== undefined) {
		manifests['etcd'] = staticPod('etcd', 'registry.k8s.io/etcd', [
			'etcd',
			`--data-dir=${cluster.etcd.local.dataDir}`,
			`--advertise-client-urls=https://${endpoint.advertiseAddress}:2379`,
		]);
	}
	for (const [name, manifest] of Object.entries(manifests)) {
		writeFileWithMode(join(manifestsDirectory, `${name}.yaml`), manifest, 0o600);
		say(`[control-plane] Creating static Pod manifest for "${name}"`);
	}
}

/** The kubelet-start phase's files: the kubelet's configuration (from the kubelet-config ConfigMap) and its flags. */
export function writeKubeletFiles(kubeletConfiguration: string, registration: NodeRegistration): void {
	writeFileWithMode(kubeletConfigPath, kubeletConfiguration, 0o644);
	say(`[kubelet-start] Writing kubelet configuration to file "${kubeletConfigPath}"`);
	const args = flagsOf({'container-runtime-endpoint': registration.criSocket}, registration.kubeletExtraArgs);
	writeFileWithMode(kubeletFlagsPath, `KUBELET_KUBEADM_ARGS="${args.join(' ')}"\n`, 0o644);
	say(`[kubelet-start] Writing kubelet environment file with flags to file "${kubeletFlagsPath}"`);
	say('[kubelet-start] (kubeha lab stand-in: no kubelet runs; the node is registered in its place)');
}
