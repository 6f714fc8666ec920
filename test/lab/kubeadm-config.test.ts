// The kubeadm stand-in's reading of its configuration and command lines, and the kubeconfig files it writes.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {
	checkedDocuments,
	clusterConfiguration,
	clusterConfigurationText,
	joinConfiguration,
} from './stand-ins/lib/kubeadm-config.ts';
import {serviceAddress} from './stand-ins/lib/kubeadm-control-plane.ts';
import {lastValue, listValue, parseCommandLine} from './stand-ins/lib/kubeadm-flags.ts';
import {KubeadmError} from './stand-ins/lib/kubeadm-output.ts';
import {connectionFromKubeconfig, kubeconfigText} from './stand-ins/lib/kubeconfig.ts';
import {NotModelled} from './stand-ins/lib/not-modelled.ts';

const local = {advertiseAddress: '198.18.0.11', bindPort: 6443};

describe('configuration', () => {
	test('an unknown field refuses the file, naming the field', () => {
		const text = 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nclusterNmae: lab\n';
		assert.throws(
			() => checkedDocuments(text, '/etc/kubeha/kubeadm-init.yaml'),
			(error) => error instanceof KubeadmError && /ClusterConfiguration clusterNmae: unknown field/.test(error.message),
		);
	});

	test("kubeadm's defaults: the endpoint takes the bind port when it has none, stacked etcd, the usual subnets", () => {
		const cluster = clusterConfiguration({controlPlaneEndpoint: '198.18.0.100'}, local);
		assert.equal(cluster.controlPlaneEndpoint, '198.18.0.100:6443');
		assert.equal(cluster.endpointConfigured, true);
		assert.deepEqual(cluster.etcd, {local: {dataDir: '/var/lib/etcd', serverCertSANs: [], peerCertSANs: []}});
		assert.equal(cluster.networking.serviceSubnet, '10.96.0.0/12');
		const unset = clusterConfiguration(undefined, local);
		assert.equal(unset.controlPlaneEndpoint, '198.18.0.11:6443');
		// The ConfigMap keeps no endpoint when none was set, so that a control-plane join can be refused.
		assert.doesNotMatch(clusterConfigurationText(unset), /controlPlaneEndpoint/);
	});

	test('a join configuration: the TLS bootstrap token defaults to the discovery token; file discovery is not modelled', () => {
		const discovery = {
			bootstrapToken: {token: 'abcdef.0123456789abcdef', apiServerEndpoint: '198.18.0.100:8443', caCertHashes: []},
		};
		const join = joinConfiguration({discovery, nodeRegistration: {name: 'h2'}});
		assert.equal(join.discovery.tlsBootstrapToken, 'abcdef.0123456789abcdef');
		assert.equal(join.controlPlane, undefined);
		assert.equal(join.caCertPath, '/etc/kubernetes/pki/ca.crt');
		assert.throws(() => joinConfiguration({discovery: {file: {kubeConfigPath: '/x'}}}), NotModelled);
	});

	test('service addresses: kube-apiserver takes the first, cluster DNS the tenth', () => {
		assert.equal(serviceAddress('10.96.0.0/12', 1), '10.96.0.1');
		assert.equal(serviceAddress('10.96.0.0/12', 10), '10.96.0.10');
		assert.equal(serviceAddress('172.20.5.0/16', 1), '172.20.0.1');
		assert.throws(() => serviceAddress('fd00::/108', 1), NotModelled);
	});
});

describe('command lines', () => {
	test('--name=value, --name value, repeated and short flags', () => {
		const line = parseCommandLine(
			[
				'198.18.0.100:8443',
				'--token',
				't',
				'--discovery-token-ca-cert-hash=sha256:a',
				'--discovery-token-ca-cert-hash',
				'sha256:b',
				'--control-plane',
				'-f',
			],
			{booleans: ['control-plane', 'force'], values: ['token', 'discovery-token-ca-cert-hash'], short: {f: 'force'}},
		);
		assert.deepEqual(line.positional, ['198.18.0.100:8443']);
		assert.equal(lastValue(line, 'token'), 't');
		assert.deepEqual(line.values.get('discovery-token-ca-cert-hash'), ['sha256:a', 'sha256:b']);
		assert.deepEqual([...line.booleans], ['control-plane', 'force']);
	});

	test('comma lists, and an undeclared flag is not modelled', () => {
		const line = parseCommandLine(['--ignore-preflight-errors=Swap,Port-6443', '--ignore-preflight-errors', 'all'], {
			values: ['ignore-preflight-errors'],
		});
		assert.deepEqual(listValue(line, 'ignore-preflight-errors'), ['Swap', 'Port-6443', 'all']);
		assert.throws(() => parseCommandLine(['--dry-run'], {}), NotModelled);
	});
});

test('a kubeconfig reads back as the connection it describes', () => {
	const text = kubeconfigText({
		clusterName: 'lab',
		server: 'https://198.18.0.100:8443',
		caPem: 'CA PEM\n',
		user: 'kubernetes-admin',
		credentials: {cert: 'CERT PEM\n', key: 'KEY PEM\n'},
	});
	assert.deepEqual(connectionFromKubeconfig(text, 'admin.conf'), {
		server: 'https://198.18.0.100:8443',
		ca: 'CA PEM\n',
		cert: 'CERT PEM\n',
		key: 'KEY PEM\n',
	});
	assert.throws(
		() => connectionFromKubeconfig('current-context: missing\n', 'x.conf'),
		/x\.conf: no context "missing"/,
	);
});
