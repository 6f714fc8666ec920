import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {describe, test} from 'node:test';
import {Pod} from 'kubernetes-models/v1';
import {parse} from 'yaml';
import {defaultKubeVipImage, kubeVipFiles} from '../../source/render/kube-vip.ts';
import type {RenderedFile} from '../../source/render/types.ts';
import {type ClusterSpec, controlPlanes} from '../../source/spec/cluster.ts';
import {loadSpec} from '../../source/spec/load.ts';
import {testSecrets} from '../helpers/secrets.ts';
import {templates} from '../helpers/templates.ts';

const exampleText = readFileSync('examples/kube-vip.yaml', 'utf8');

/** The kube-vip example, with text replaced to make a variant. */
function kubeVipSpec(...replacements: Array<[string, string]>): ClusterSpec {
	const text = replacements.reduce((result, [from, to]) => {
		assert.ok(result.includes(from), `the example has no ${JSON.stringify(from)}`);
		return result.replace(from, to);
	}, exampleText);
	const {spec, findings} = loadSpec(text);
	assert.ok(spec, JSON.stringify(findings));
	return spec;
}

const filesOf = (spec: ClusterSpec, nodeName: string): RenderedFile[] => {
	const node = spec.nodes.find((candidate) => candidate.name === nodeName);
	assert.ok(node, `no node ${nodeName}`);
	return kubeVipFiles({spec, secrets: testSecrets, templates}, node);
};

function podOf(spec: ClusterSpec, nodeName: string): {file: RenderedFile; pod: Pod} {
	const [file, ...rest] = filesOf(spec, nodeName);
	assert.ok(file && rest.length === 0, `${nodeName}: one manifest`);
	return {file, pod: new Pod(parse(file.content))};
}

const envOf = (pod: Pod): Map<string, string | undefined> =>
	new Map((pod.spec?.containers[0]?.env ?? []).map(({name, value}) => [name, value]));

/** The host file mounted where kube-vip reads its kubeconfig. */
function kubeconfigOf(pod: Pod): string | undefined {
	const mount = pod.spec?.containers[0]?.volumeMounts?.find(
		({mountPath}) => mountPath === '/etc/kubernetes/admin.conf',
	);
	return pod.spec?.volumes?.find(({name}) => name === mount?.name)?.hostPath?.path;
}

const example = kubeVipSpec();

describe('kube-vip manifest', () => {
	test('on every control plane, a valid Pod at /etc/kubernetes/manifests/kube-vip.yaml; nothing elsewhere', () => {
		for (const node of example.nodes) {
			const isControlPlane = controlPlanes(example).includes(node);
			const files = filesOf(example, node.name);
			assert.equal(files.length, isControlPlane ? 1 : 0, node.name);
			for (const file of files) {
				assert.equal(file.path, '/etc/kubernetes/manifests/kube-vip.yaml');
				assert.doesNotThrow(() => new Pod(parse(file.content)).validate());
				assert.deepEqual([file.mode, file.secret], [0o600, false]);
			}
		}
	});

	test('ARP, control plane, leader election 5/3/1, the VIP on the API server port', () => {
		const {pod} = podOf(example, 'cp2');
		assert.equal(pod.metadata?.namespace, 'kube-system');
		assert.equal(pod.spec?.hostNetwork, true);
		assert.deepEqual(pod.spec?.containers[0]?.args, ['manager']);
		assert.deepEqual(Object.fromEntries(envOf(pod)), {
			vip_arp: 'true',
			port: '6443',
			vip_interface: 'eth0',
			cp_enable: 'true',
			cp_namespace: 'kube-system',
			vip_leaderelection: 'true',
			vip_leaseduration: '5',
			vip_renewdeadline: '3',
			vip_retryperiod: '1',
			address: '172.16.10.100',
		});
		assert.deepEqual(pod.spec?.containers[0]?.securityContext?.capabilities?.add, ['NET_ADMIN', 'NET_RAW']);
	});

	test('port follows apiServer.bindPort, vip_interface the node’s own interface', () => {
		const spec = kubeVipSpec(
			['  interface: eth0\n', '  interface: eth0\napiServer:\n  bindPort: 7443\n'],
			['    address: 172.16.10.12\n', '    address: 172.16.10.12\n    interface: ens224\n'],
		);
		assert.equal(envOf(podOf(spec, 'cp2').pod).get('vip_interface'), 'ens224');
		assert.equal(envOf(podOf(spec, 'cp3').pod).get('vip_interface'), 'eth0');
		assert.equal(envOf(podOf(spec, 'cp1').pod).get('port'), '7443');
	});

	test('the pinned image by default, loadBalancer.images.kubeVip when set', () => {
		assert.equal(podOf(example, 'cp1').pod.spec?.containers[0]?.image, defaultKubeVipImage);
		assert.equal(defaultKubeVipImage, 'ghcr.io/kube-vip/kube-vip:v1.2.3');
		const spec = kubeVipSpec([
			'  interface: eth0\n',
			'  interface: eth0\n  images:\n    kubeVip: registry.local/kube-vip:v1.2.2\n',
		]);
		assert.equal(podOf(spec, 'cp3').pod.spec?.containers[0]?.image, 'registry.local/kube-vip:v1.2.2');
	});
});

describe('kube-vip kubeconfig (kube-vip#684)', () => {
	test('from 1.29 on, the first control plane mounts super-admin.conf, and says why', () => {
		for (const version of ['1.29.0', '1.37.1']) {
			const spec = kubeVipSpec(['version: 1.37.1', `version: ${version}`]);
			const {file, pod} = podOf(spec, 'cp1');
			assert.equal(kubeconfigOf(pod), '/etc/kubernetes/super-admin.conf', version);
			assert.match(file.content, /^# .*super-admin\.conf/m);
			assert.match(file.content, /^# .*kube-vip#684/m);
		}
	});

	test('the other control planes mount admin.conf', () => {
		for (const name of ['cp2', 'cp3']) {
			assert.equal(kubeconfigOf(podOf(example, name).pod), '/etc/kubernetes/admin.conf', name);
		}
	});

	test('before 1.29 every control plane mounts admin.conf', () => {
		const spec = kubeVipSpec(['version: 1.37.1', 'version: 1.28.15']);
		for (const name of ['cp1', 'cp2', 'cp3']) {
			assert.equal(kubeconfigOf(podOf(spec, name).pod), '/etc/kubernetes/admin.conf', name);
		}
	});

	test('the first control plane is the first one listed', () => {
		const spec = kubeVipSpec([
			'  - name: cp1\n    address: 172.16.10.11\n    roles: [control-plane]\n',
			'  - name: w0\n    address: 172.16.10.20\n    roles: [worker]\n  - name: cp1\n    address: 172.16.10.11\n    roles: [control-plane]\n',
		]);
		assert.equal(kubeconfigOf(podOf(spec, 'cp1').pod), '/etc/kubernetes/super-admin.conf');
		assert.deepEqual(filesOf(spec, 'w0'), []);
	});
});

describe('other modes', () => {
	test('keepalived-haproxy and external render no kube-vip', () => {
		for (const name of ['three-control-planes', 'external-load-balancer']) {
			const {spec} = loadSpec(readFileSync(`examples/${name}.yaml`, 'utf8'));
			assert.ok(spec);
			for (const node of spec.nodes) {
				assert.deepEqual(filesOf(spec, node.name), [], `${name}/${node.name}`);
			}
		}
	});
});
