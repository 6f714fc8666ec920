import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {stringify} from 'yaml';
import {checkKubeadmConfig} from '../helpers/kubeadm-v1beta4.ts';

/** The checker behind the kubeadm tests and the lab's kubeadm stand-in: it must accept what kubeadm accepts and refuse what it refuses. */

const hash = `sha256:${'ab'.repeat(32)}`;
const certificateKey = 'e6a2eb8581237ab72a4f494f30285ec12a9694d750b9785706a83bfcbbbd2204';

const init = () => ({
	apiVersion: 'kubeadm.k8s.io/v1beta4',
	kind: 'InitConfiguration',
	bootstrapTokens: [
		{
			token: 'abcdef.0123456789abcdef',
			ttl: '24h',
			usages: ['signing', 'authentication'],
			groups: ['system:bootstrappers:kubeadm:default-node-token'],
		},
	],
	nodeRegistration: {
		name: 'cp1',
		criSocket: 'unix:///run/containerd/containerd.sock',
		taints: [],
		kubeletExtraArgs: [{name: 'node-ip', value: '10.0.0.1'}],
		imagePullPolicy: 'IfNotPresent',
	},
	localAPIEndpoint: {advertiseAddress: '10.0.0.1', bindPort: 6443},
	certificateKey,
	timeouts: {controlPlaneComponentHealthCheck: '4m0s'},
});

const cluster = () => ({
	apiVersion: 'kubeadm.k8s.io/v1beta4',
	kind: 'ClusterConfiguration',
	clusterName: 'prod',
	kubernetesVersion: 'v1.37.1',
	controlPlaneEndpoint: '10.0.0.10:8443',
	networking: {podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/12', dnsDomain: 'cluster.local'},
	apiServer: {
		certSANs: ['10.0.0.10', 'cp1', '*.example.com'],
		extraArgs: [{name: 'audit-log-maxage', value: '30'}],
		extraVolumes: [
			{name: 'audit', hostPath: '/var/log/audit', mountPath: '/var/log/audit', pathType: 'DirectoryOrCreate'},
		],
		extraEnvs: [{name: 'NODE', valueFrom: {fieldRef: {fieldPath: 'spec.nodeName'}}}],
	},
	etcd: {
		external: {
			endpoints: ['https://10.0.0.21:2379'],
			caFile: '/etc/kubernetes/pki/etcd/ca.crt',
			certFile: '/etc/kubernetes/pki/apiserver-etcd-client.crt',
			keyFile: '/etc/kubernetes/pki/apiserver-etcd-client.key',
		},
	},
	encryptionAlgorithm: 'RSA-2048',
	caCertificateValidityPeriod: '87600h0m0s',
});

const join = () => ({
	apiVersion: 'kubeadm.k8s.io/v1beta4',
	kind: 'JoinConfiguration',
	nodeRegistration: {name: 'cp2', criSocket: 'unix:///run/containerd/containerd.sock'},
	caCertPath: '/etc/kubernetes/pki/ca.crt',
	discovery: {
		bootstrapToken: {token: 'abcdef.0123456789abcdef', apiServerEndpoint: '10.0.0.10:8443', caCertHashes: [hash]},
	},
	controlPlane: {localAPIEndpoint: {advertiseAddress: '10.0.0.2', bindPort: 6443}, certificateKey},
});

const kubelet = () => ({
	apiVersion: 'kubelet.config.k8s.io/v1beta1',
	kind: 'KubeletConfiguration',
	cgroupDriver: 'systemd',
});

const file = (...documents: object[]): string => documents.map((document) => stringify(document)).join('---\n');

describe('checkKubeadmConfig accepts', () => {
	test('init, cluster and kubelet configuration in one file', () => {
		assert.deepEqual(checkKubeadmConfig(file(init(), cluster(), kubelet())), []);
	});

	test('a control-plane join and a worker join (no controlPlane)', () => {
		const {controlPlane: _controlPlane, ...worker} = join();
		assert.deepEqual(checkKubeadmConfig(file(join())), []);
		assert.deepEqual(checkKubeadmConfig(file(worker)), []);
	});

	test('what kubeadm defaults left out (no etcd, no networking, no nodeRegistration)', () => {
		const minimal = {apiVersion: 'kubeadm.k8s.io/v1beta4', kind: 'ClusterConfiguration'};
		assert.deepEqual(checkKubeadmConfig(file(minimal)), []);
	});

	test('unsafeSkipCAVerification instead of hashes, and an IPv6 endpoint', () => {
		const document = join();
		document.discovery.bootstrapToken = {
			token: 'abcdef.0123456789abcdef',
			apiServerEndpoint: '[fd00::10]:6443',
			unsafeSkipCAVerification: true,
		} as never;
		assert.deepEqual(checkKubeadmConfig(file(document)), []);
	});
});

type Case = {readonly name: string; readonly text: string; readonly expected: string};

/** A document with one field changed at a dotted path (numbers index lists); `undefined` deletes it. */
function changed<T extends object>(document: T, path: string, value: unknown): T {
	const copy = structuredClone(document) as Record<string, unknown>;
	const keys = path.split('.');
	const last = keys.pop() ?? '';
	let target: Record<string, unknown> = copy;
	for (const key of keys) {
		target = target[key] as Record<string, unknown>;
	}

	if (value === undefined) {
		delete target[last];
	} else {
		target[last] = value;
	}

	return copy as T;
}

const cases: Case[] = [
	{
		name: 'an unknown top-level field',
		text: file(changed(init(), 'bootstrapToken', 'x')),
		expected: 'bootstrapToken: unknown field',
	},
	{
		name: 'a wrong-case nested field',
		text: file(changed(cluster(), 'networking.podSubNet', 'x')),
		expected: 'networking.podSubNet: unknown field',
	},
	{
		name: 'an unknown field deep in a list',
		text: file(changed(cluster(), 'apiServer.extraVolumes.0.readonly', true)),
		expected: 'apiServer.extraVolumes.0.readonly: unknown field',
	},
	{
		name: 'metadata (kubeadm kinds have none)',
		text: file(changed(init(), 'metadata', {name: 'x'})),
		expected: 'metadata: unknown field',
	},
	{
		name: 'v1beta3 extraArgs as a map',
		text: file(changed(cluster(), 'apiServer.extraArgs', {'audit-log-maxage': '30'})),
		expected: 'apiServer.extraArgs',
	},
	{
		name: 'v1beta3',
		text: file(changed(init(), 'apiVersion', 'kubeadm.k8s.io/v1beta3')),
		expected: 'not accepted by current kubeadm',
	},
	{name: 'an unknown kind', text: file(changed(init(), 'kind', 'ResetConfig')), expected: 'unknown kind ResetConfig'},
	{name: 'the same kind twice', text: file(init(), init()), expected: 'appears twice'},
	{
		name: 'a duplicate key',
		text: 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\nkind: InitConfiguration\n',
		expected: 'document 1',
	},
	{
		name: 'a string port',
		text: file(changed(init(), 'localAPIEndpoint.bindPort', '6443')),
		expected: 'localAPIEndpoint.bindPort',
	},
	{
		name: 'a port out of range',
		text: file(changed(init(), 'localAPIEndpoint.bindPort', 70_000)),
		expected: 'not a port',
	},
	{
		name: 'an advertiseAddress that is a name',
		text: file(changed(init(), 'localAPIEndpoint.advertiseAddress', 'cp1')),
		expected: 'not an IP address',
	},
	{
		name: 'a bad token',
		text: file(changed(init(), 'bootstrapTokens.0.token', 'ABCDEF.0123456789abcdef')),
		expected: 'not a bootstrap token',
	},
	{
		name: 'an unknown token usage',
		text: file(changed(init(), 'bootstrapTokens.0.usages', ['signing', 'authentication', 'x'])),
		expected: 'unknown usage x',
	},
	{
		name: 'groups without authentication',
		text: file(changed(init(), 'bootstrapTokens.0.usages', ['signing'])),
		expected: 'allowed only when usages include authentication',
	},
	{
		name: 'a group outside system:bootstrappers',
		text: file(changed(init(), 'bootstrapTokens.0.groups', ['system:masters'])),
		expected: 'is not system:bootstrappers',
	},
	{
		name: 'ttl and expires',
		text: file(changed(init(), 'bootstrapTokens.0.expires', '2030-01-01T00:00:00Z')),
		expected: 'mutually exclusive',
	},
	{
		name: 'a ttl that is not a duration',
		text: file(changed(init(), 'bootstrapTokens.0.ttl', '1 day')),
		expected: 'not a Go duration',
	},
	{
		name: 'a 31-byte certificate key',
		text: file(changed(init(), 'certificateKey', certificateKey.slice(2))),
		expected: '64 hex digits',
	},
	{
		name: 'a non-unix CRI socket',
		text: file(changed(init(), 'nodeRegistration.criSocket', '/run/containerd/containerd.sock')),
		expected: 'unix:// URL',
	},
	{
		name: 'a node name with capitals',
		text: file(changed(init(), 'nodeRegistration.name', 'CP1')),
		expected: 'DNS-1123',
	},
	{
		name: 'an extra arg without name',
		text: file(changed(init(), 'nodeRegistration.kubeletExtraArgs', [{name: '', value: 'x'}])),
		expected: 'argument has no name',
	},
	{
		name: 'a taint with an unknown effect',
		text: file(changed(init(), 'nodeRegistration.taints', [{key: 'a', effect: 'Never'}])),
		expected: 'taints.0.effect',
	},
	{
		name: 'local and external etcd',
		text: file(changed(cluster(), 'etcd.local', {dataDir: '/var/lib/etcd'})),
		expected: 'local and external are mutually exclusive',
	},
	{
		name: 'a relative etcd dataDir',
		text: file(changed(cluster(), 'etcd', {local: {dataDir: 'var/lib/etcd'}})),
		expected: 'not an absolute path',
	},
	{
		name: 'http etcd endpoints with TLS files',
		text: file(changed(cluster(), 'etcd.external.endpoints', ['http://10.0.0.21:2379'])),
		expected: 'must be https',
	},
	{
		name: 'an etcd endpoint without scheme',
		text: file(changed(cluster(), 'etcd.external.endpoints', ['10.0.0.21:2379'])),
		expected: 'has no scheme',
	},
	{
		name: 'certFile without keyFile',
		text: file(changed(cluster(), 'etcd.external.keyFile', undefined)),
		expected: 'both set or both empty',
	},
	{
		name: 'certFile and keyFile without caFile',
		text: file(changed(cluster(), 'etcd.external.caFile', undefined)),
		expected: 'require caFile',
	},
	{
		name: 'a relative etcd certFile',
		text: file(changed(cluster(), 'etcd.external.certFile', 'pki/client.crt')),
		expected: 'etcd.external.certFile',
	},
	{
		name: 'a service subnet over 20 host bits',
		text: file(changed(cluster(), 'networking.serviceSubnet', '10.0.0.0/8')),
		expected: 'at least /12',
	},
	{
		name: 'a pod subnet smaller than a node range',
		text: file(changed(cluster(), 'networking.podSubnet', '10.244.0.0/25')),
		expected: "smaller than one node's range",
	},
	{
		name: 'a subnet that is no CIDR',
		text: file(changed(cluster(), 'networking.podSubnet', '10.244.0.0')),
		expected: 'is not a CIDR',
	},
	{
		name: 'a bad DNS domain',
		text: file(changed(cluster(), 'networking.dnsDomain', 'Cluster_Local')),
		expected: 'networking.dnsDomain',
	},
	{
		name: 'a bad certSAN',
		text: file(changed(cluster(), 'apiServer.certSANs', ['not a name'])),
		expected: 'apiServer.certSANs',
	},
	{
		name: 'a bad controlPlaneEndpoint',
		text: file(changed(cluster(), 'controlPlaneEndpoint', 'https://10.0.0.10:8443')),
		expected: 'controlPlaneEndpoint',
	},
	{
		name: 'an unknown encryption algorithm',
		text: file(changed(cluster(), 'encryptionAlgorithm', 'RSA-1024')),
		expected: 'encryptionAlgorithm',
	},
	{
		name: 'a relative certificatesDir',
		text: file(changed(cluster(), 'certificatesDir', 'pki')),
		expected: 'certificatesDir',
	},
	{
		name: 'discovery without hashes or unsafeSkipCAVerification',
		text: file(changed(join(), 'discovery.bootstrapToken.caCertHashes', undefined)),
		expected: 'caCertHashes: required',
	},
	{
		name: 'an empty list of hashes',
		text: file(changed(join(), 'discovery.bootstrapToken.caCertHashes', [])),
		expected: 'caCertHashes: required',
	},
	{
		name: 'a hash without sha256:',
		text: file(changed(join(), 'discovery.bootstrapToken.caCertHashes', ['ab'.repeat(32)])),
		expected: 'is not sha256:',
	},
	{
		name: 'discovery without apiServerEndpoint',
		text: file(changed(join(), 'discovery.bootstrapToken.apiServerEndpoint', undefined)),
		expected: 'apiServerEndpoint: required',
	},
	{
		name: 'an apiServerEndpoint without port',
		text: file(changed(join(), 'discovery.bootstrapToken.apiServerEndpoint', '10.0.0.10')),
		expected: 'is not host:port',
	},
	{
		name: 'both bootstrapToken and file discovery',
		text: file(changed(join(), 'discovery.file', {kubeConfigPath: '/etc/kubernetes/discovery.conf'})),
		expected: 'exactly one of bootstrapToken and file',
	},
	{
		name: 'no discovery at all',
		text: file(changed(join(), 'discovery', {})),
		expected: 'exactly one of bootstrapToken and file',
	},
	{
		name: 'discovery.timeout (moved to timeouts.discovery in v1beta4)',
		text: file(changed(join(), 'discovery.timeout', '5m0s')),
		expected: 'discovery.timeout: unknown field',
	},
	{name: 'a relative caCertPath', text: file(changed(join(), 'caCertPath', 'ca.crt')), expected: 'caCertPath'},
	{
		name: 'a join certificate key that is not hex',
		text: file(changed(join(), 'controlPlane.certificateKey', 'z'.repeat(64))),
		expected: 'controlPlane.certificateKey',
	},
	{
		name: 'a kubelet field kubeha does not write',
		text: file(changed(kubelet(), 'failSwapOn', false)),
		expected: 'failSwapOn: unknown field',
	},
	{name: 'a document that is a list', text: '- a\n- b\n', expected: 'must be a mapping'},
	{name: 'an empty file', text: '', expected: 'no YAML documents'},
];

describe('checkKubeadmConfig refuses', () => {
	for (const {name, text, expected} of cases) {
		test(name, () => {
			const problems = checkKubeadmConfig(text);
			assert.ok(
				problems.some((problem) => problem.includes(expected)),
				`expected a problem containing ${JSON.stringify(expected)}, got ${JSON.stringify(problems)}`,
			);
		});
	}
});
