import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {parseAllDocuments} from 'yaml';
import {clusterCaPaths, kubeadmFiles, kubeadmInitPath, kubeadmJoinPath} from '../../source/render/kubeadm.ts';
import type {RenderedFile} from '../../source/render/types.ts';
import {caCertHash} from '../../source/secrets/ca-hash.ts';
import {
	controlPlaneEndpoint,
	controlPlanes,
	etcdMembers,
	firstControlPlane,
	hasRole,
	runsKubelet,
	vipAddress,
} from '../../source/spec/cluster.ts';
import {checkKubeadmConfig} from '../helpers/kubeadm-v1beta4.ts';
import {exampleNames, nodeNamed, specOf} from '../helpers/spec.ts';
import {contextFor, opensslAvailable, opensslCaCertHash, renderEach} from './fixtures.ts';

/** The fields these tests read from a kubeadm document. */
type Document = Partial<
	Record<
		| 'kind'
		| 'bootstrapTokens'
		| 'certificateKey'
		| 'nodeRegistration'
		| 'localAPIEndpoint'
		| 'cgroupDriver'
		| 'clusterName'
		| 'kubernetesVersion'
		| 'controlPlaneEndpoint'
		| 'networking'
		| 'etcd'
		| 'apiServer'
		| 'discovery'
		| 'controlPlane',
		unknown
	>
>;

const documentsOf = (file: RenderedFile): Document[] =>
	parseAllDocuments(file.content).flatMap((document) => ('toJS' in document ? [document.toJS() as Document] : []));

const kindOf = (documents: Document[], kind: string): Document => {
	const found = documents.find((document) => document.kind === kind);
	assert.ok(found, `no ${kind} document`);
	return found;
};

for (const example of exampleNames) {
	describe(`kubeadm files of examples/${example}.yaml`, async () => {
		const spec = specOf(undefined, example);
		const context = await contextFor(spec);
		const files = renderEach(context, kubeadmFiles);
		const first = firstControlPlane(spec);
		assert.ok(first);
		const init = files.get(first.name)?.find((file) => file.path === kubeadmInitPath);
		assert.ok(init, 'the first control plane has no init file');
		const initDocuments = documentsOf(init);

		test('every kubeadm file passes the strict v1beta4 checker', () => {
			for (const [node, nodeFiles] of files) {
				for (const file of nodeFiles.filter((candidate) => candidate.path.endsWith('.yaml'))) {
					assert.deepEqual(checkKubeadmConfig(file.content), [], `${node}:${file.path}`);
				}
			}
		});

		test('the first control plane inits and holds the cluster CA; every other kubelet node joins', () => {
			for (const node of spec.nodes) {
				const paths = (files.get(node.name) ?? []).map((file) => file.path).sort();
				const expected: string[] =
					node === first
						? [clusterCaPaths.cert, clusterCaPaths.key, kubeadmInitPath].sort()
						: runsKubelet(node)
							? [kubeadmJoinPath]
							: [];
				assert.deepEqual(paths, expected, node.name);
			}

			const [caCert, caKey] = [clusterCaPaths.cert, clusterCaPaths.key].map((path) =>
				files.get(first.name)?.find((file) => file.path === path),
			);
			assert.deepEqual(caCert, {
				path: clusterCaPaths.cert,
				content: context.secrets.clusterCa.cert,
				mode: 0o644,
				secret: false,
			});
			assert.deepEqual(caKey, {
				path: clusterCaPaths.key,
				content: context.secrets.clusterCa.key,
				mode: 0o600,
				secret: true,
			});
		});

		test('kubeadm files are 0600 secrets (token, certificate key)', () => {
			for (const file of [...files.values()].flat().filter((candidate) => candidate.path.startsWith('/etc/kubeha/'))) {
				assert.equal(file.mode, 0o600);
				assert.equal(file.secret, true);
				assert.ok(file.content.includes(context.secrets.bootstrapToken));
			}
		});

		test('init: token, certificate key, node registration and endpoint', () => {
			const initConfiguration = kindOf(initDocuments, 'InitConfiguration');
			assert.deepEqual(initConfiguration.bootstrapTokens, [
				{
					token: context.secrets.bootstrapToken,
					description: `kubeha: joins the nodes of ${spec.name}`,
					ttl: '24h',
					usages: ['signing', 'authentication'],
					groups: ['system:bootstrappers:kubeadm:default-node-token'],
				},
			]);
			assert.equal(initConfiguration.certificateKey, context.secrets.certificateKey);
			assert.deepEqual(initConfiguration.nodeRegistration, {
				name: first.name,
				criSocket: 'unix:///run/containerd/containerd.sock',
			});
			assert.deepEqual(initConfiguration.localAPIEndpoint, {
				advertiseAddress: first.address,
				bindPort: spec.apiServer.bindPort,
			});
			assert.deepEqual(kindOf(initDocuments, 'KubeletConfiguration').cgroupDriver, 'systemd');
		});

		test('cluster: name, version, endpoint, networking and etcd', () => {
			const cluster = kindOf(initDocuments, 'ClusterConfiguration');
			assert.equal(cluster.clusterName, spec.name);
			assert.equal(cluster.kubernetesVersion, `v${spec.kubernetes.version}`);
			assert.equal(cluster.controlPlaneEndpoint, controlPlaneEndpoint(spec));
			assert.deepEqual(cluster.networking, {
				podSubnet: spec.kubernetes.podSubnet,
				serviceSubnet: spec.kubernetes.serviceSubnet,
				dnsDomain: spec.kubernetes.dnsDomain,
			});
			if (spec.etcd.topology === 'external') {
				assert.deepEqual(cluster.etcd, {
					external: {
						endpoints: etcdMembers(spec).map((node) => `https://${node.address}:2379`),
						caFile: '/etc/kubernetes/pki/etcd/ca.crt',
						certFile: '/etc/kubernetes/pki/apiserver-etcd-client.crt',
						keyFile: '/etc/kubernetes/pki/apiserver-etcd-client.key',
					},
				});
			} else {
				assert.deepEqual(cluster.etcd, {local: {dataDir: '/var/lib/etcd'}});
			}
		});

		test('certSANs: the VIP or endpoint host, every control plane, the extra names; sorted, unique', () => {
			const {certSANs: sans} = kindOf(initDocuments, 'ClusterConfiguration').apiServer as {certSANs: string[]};
			assert.deepEqual(sans, [...new Set(sans)].sort());
			const vip = vipAddress(spec);
			const required = [
				...(spec.loadBalancer.mode === 'external' ? [controlPlaneEndpoint(spec)?.split(':')[0]] : [vip]),
				...controlPlanes(spec).flatMap((node) => [node.name, node.address]),
				...spec.apiServer.certSANs,
			];
			for (const name of required) {
				assert.ok(name && sans.includes(name), `${name} is missing from ${JSON.stringify(sans)}`);
			}
		});

		test('joins pin the real CA hash, never skip verification, and only control planes join as such', () => {
			const pin = caCertHash(context.secrets.clusterCa.cert);
			if (opensslAvailable) {
				assert.equal(pin, opensslCaCertHash(context.secrets.clusterCa.cert));
			}

			for (const node of spec.nodes.filter((candidate) => candidate !== first && runsKubelet(candidate))) {
				const file = files.get(node.name)?.find((candidate) => candidate.path === kubeadmJoinPath);
				assert.ok(file);
				assert.ok(!file.content.includes('unsafeSkipCAVerification'), node.name);
				const joinConfiguration = kindOf(documentsOf(file), 'JoinConfiguration');
				assert.deepEqual(joinConfiguration.discovery, {
					bootstrapToken: {
						token: context.secrets.bootstrapToken,
						apiServerEndpoint: controlPlaneEndpoint(spec),
						caCertHashes: [pin],
					},
				});
				assert.deepEqual(joinConfiguration.nodeRegistration, {
					name: node.name,
					criSocket: 'unix:///run/containerd/containerd.sock',
				});
				assert.deepEqual(
					joinConfiguration.controlPlane,
					hasRole(node, 'control-plane')
						? {
								localAPIEndpoint: {advertiseAddress: node.address, bindPort: spec.apiServer.bindPort},
								certificateKey: context.secrets.certificateKey,
							}
						: undefined,
					node.name,
				);
			}
		});

		test('rendering is pure: the same input gives the same files', () => {
			assert.deepEqual(renderEach(context, kubeadmFiles), files);
		});
	});
}

describe('kubeadm files of a control plane that is also a worker', async () => {
	const schedulable = specOf((draft) => {
		nodeNamed(draft, 'cp1').roles.push('worker');
		nodeNamed(draft, 'cp2').roles.push('worker');
	});
	const files = renderEach(await contextFor(schedulable), kubeadmFiles);
	const registration = (node: string, path: string, kind: string): unknown => {
		const file = files.get(node)?.find((candidate) => candidate.path === path);
		assert.ok(file);
		assert.deepEqual(checkKubeadmConfig(file.content), []);
		return kindOf(documentsOf(file), kind).nodeRegistration;
	};

	test('drops the control-plane taint with taints: [] on init and join; plain control planes keep it', () => {
		assert.deepEqual(registration('cp1', kubeadmInitPath, 'InitConfiguration'), {
			name: 'cp1',
			criSocket: 'unix:///run/containerd/containerd.sock',
			taints: [],
		});
		assert.deepEqual(registration('cp2', kubeadmJoinPath, 'JoinConfiguration'), {
			name: 'cp2',
			criSocket: 'unix:///run/containerd/containerd.sock',
			taints: [],
		});
		assert.deepEqual(registration('cp3', kubeadmJoinPath, 'JoinConfiguration'), {
			name: 'cp3',
			criSocket: 'unix:///run/containerd/containerd.sock',
		});
	});
});
