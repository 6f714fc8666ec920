import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import {describe, test} from 'node:test';
import {Pod} from 'kubernetes-models/v1';
import {parse} from 'yaml';
import {checkApiserverPath, checkHaproxyPath, keepalivedConfigPath} from '../../source/render/keepalived.ts';
import {loadBalancerFiles} from '../../source/render/load-balancer.ts';
import {defaultHaproxyImage, defaultKeepalivedImage} from '../../source/render/load-balancer-pods.ts';
import type {RenderedFile} from '../../source/render/types.ts';
import {type ClusterSpec, controlPlanes, interfaceOf, loadBalancerNodes} from '../../source/spec/cluster.ts';
import {loadSpec} from '../../source/spec/load.ts';
import {testSecrets} from '../helpers/secrets.ts';
import {templates} from '../helpers/templates.ts';

const specOf = (text: string): ClusterSpec => {
	const {spec, findings} = loadSpec(text);
	assert.ok(spec, JSON.stringify(findings));
	return spec;
};

const example = (name: string): ClusterSpec => specOf(readFileSync(`examples/${name}.yaml`, 'utf8'));

const filesOf = (spec: ClusterSpec, nodeName: string): RenderedFile[] => {
	const node = spec.nodes.find((candidate) => candidate.name === nodeName);
	assert.ok(node, `no node ${nodeName}`);
	return loadBalancerFiles({spec, secrets: testSecrets, templates}, node);
};

const fileOf = (spec: ClusterSpec, nodeName: string, path: string): RenderedFile => {
	const file = filesOf(spec, nodeName).find((candidate) => candidate.path === path);
	assert.ok(file, `${nodeName} has no ${path}`);
	return file;
};

/** A keepalived.conf block: `name args... { children }`, or a plain line when it has no children. */
type Block = {readonly words: readonly string[]; readonly children: Block[]};

/** Parses keepalived.conf into blocks, so tests look at structure, not at text. */
function parseKeepalived(text: string): Block[] {
	const root: Block = {words: [], children: []};
	const stack = [root];
	for (const raw of text.split('\n')) {
		const line = raw.replace(/#.*/, '').trim();
		const current = stack.at(-1);
		assert.ok(current, 'unbalanced braces');
		if (line === '}') {
			stack.pop();
		} else if (line.endsWith('{')) {
			const block: Block = {words: line.slice(0, -1).trim().split(/\s+/), children: []};
			current.children.push(block);
			stack.push(block);
		} else if (line !== '') {
			current.children.push({words: line.split(/\s+/), children: []});
		}
	}

	assert.equal(stack.length, 1, 'unbalanced braces');
	return root.children;
}

const child = (blocks: readonly Block[], ...words: string[]): Block => {
	const found = blocks.find((block) => words.every((word, index) => block.words[index] === word));
	assert.ok(found, `no ${words.join(' ')}`);
	return found;
};

/** The words after a keyword in a block, e.g. `value(instance, 'priority')` → ['120']. */
const value = (block: Block, keyword: string): readonly string[] => child(block.children, keyword).words.slice(1);

const keepalivedOf = (spec: ClusterSpec, nodeName: string): Block[] =>
	parseKeepalived(fileOf(spec, nodeName, keepalivedConfigPath).content);

const instanceOf = (spec: ClusterSpec, nodeName: string): Block => child(keepalivedOf(spec, nodeName), 'vrrp_instance');

const priorities = (spec: ClusterSpec): Map<string, number> =>
	new Map(loadBalancerNodes(spec).map((node) => [node.name, Number(value(instanceOf(spec, node.name), 'priority'))]));

const apiCheckWeight = (spec: ClusterSpec, nodeName: string): number =>
	Number(value(child(keepalivedOf(spec, nodeName), 'vrrp_script', 'check_apiserver'), 'weight')[0]);

const threeControlPlanes = example('three-control-planes');
const fiveUnicast = example('five-control-planes-unicast');
const externalEtcd = example('external-etcd');

describe('keepalived.conf', () => {
	test('the highest priority starts as MASTER, every other load-balancer node as BACKUP', () => {
		for (const spec of [threeControlPlanes, fiveUnicast, externalEtcd]) {
			const byPriority = [...priorities(spec)].sort((a, b) => b[1] - a[1]);
			const states = byPriority.map(([name]) => value(instanceOf(spec, name), 'state')[0]);
			assert.deepEqual(states, ['MASTER', ...Array.from({length: states.length - 1}, () => 'BACKUP')], spec.name);
		}
	});

	test('a failed API check puts any one node below every healthy one, within keepalived weights', () => {
		const spread = `
apiVersion: kubeha/v1alpha1
kind: Cluster
name: spread
loadBalancer: {vip: 10.0.0.10/24, interface: eth0}
nodes:
  - {name: a, address: 10.0.0.1, roles: [load-balancer], priority: 250}
  - {name: b, address: 10.0.0.2, roles: [load-balancer], priority: 31}
  - {name: c, address: 10.0.0.3, roles: [load-balancer], priority: 3}
  - {name: cp, address: 10.0.0.4, roles: [control-plane]}
`;
		for (const spec of [threeControlPlanes, fiveUnicast, externalEtcd, specOf(spread)]) {
			const all = priorities(spec);
			for (const [name, priority] of all) {
				const weight = apiCheckWeight(spec, name);
				assert.ok(weight < 0 && weight >= -253, `${spec.name}/${name}: weight ${weight}`);
				for (const [other, otherPriority] of all) {
					if (other !== name) {
						assert.ok(priority + weight < otherPriority, `${spec.name}: failed ${name} not below healthy ${other}`);
					}
				}
			}
		}

		assert.equal(apiCheckWeight(threeControlPlanes, 'cp1'), -21);
	});

	test('the haproxy check moves the VIP by FAULT (weight 0), the API check by weight; both tracked', () => {
		const config = keepalivedOf(threeControlPlanes, 'cp1');
		const haproxyScript = child(config, 'vrrp_script', 'check_haproxy');
		const apiScript = child(config, 'vrrp_script', 'check_apiserver');
		assert.deepEqual(value(haproxyScript, 'script'), [`"${checkHaproxyPath}"`]);
		assert.deepEqual(value(apiScript, 'script'), [`"${checkApiserverPath}"`]);
		assert.deepEqual(value(haproxyScript, 'weight'), ['0']);
		const tracked = child(child(config, 'vrrp_instance').children, 'track_script').children.map(
			(line) => line.words[0],
		);
		assert.deepEqual(tracked, ['check_haproxy', 'check_apiserver']);
	});

	test('track_script comes after virtual_ipaddress', () => {
		for (const node of loadBalancerNodes(fiveUnicast)) {
			const keywords = instanceOf(fiveUnicast, node.name).children.map((block) => block.words[0]);
			assert.ok(keywords.indexOf('track_script') > keywords.indexOf('virtual_ipaddress'), node.name);
			assert.ok(keywords.indexOf('virtual_ipaddress') >= 0, node.name);
		}
	});

	test('script security is on and the scripts have a user', () => {
		const globals = child(keepalivedOf(threeControlPlanes, 'cp2'), 'global_defs');
		assert.ok(globals.children.some((line) => line.words[0] === 'enable_script_security'));
		assert.equal(value(globals, 'script_user').length, 1);
	});

	test('router id, password and the VIP on each node’s own interface', () => {
		for (const node of loadBalancerNodes(fiveUnicast)) {
			const instance = instanceOf(fiveUnicast, node.name);
			const expectedInterface = node.name === 'cp4' ? 'bond1' : 'bond0';
			assert.equal(interfaceOf(fiveUnicast, node), expectedInterface);
			assert.deepEqual(value(instance, 'interface'), [expectedInterface]);
			assert.deepEqual(value(instance, 'virtual_router_id'), ['77']);
			assert.deepEqual(child(instance.children, 'virtual_ipaddress').children[0]?.words, [
				'192.168.50.10/24',
				'dev',
				expectedInterface,
			]);
			const authentication = child(instance.children, 'authentication');
			assert.deepEqual(value(authentication, 'auth_type'), ['PASS']);
			assert.deepEqual(value(authentication, 'auth_pass'), [testSecrets.vrrpAuthPass]);
		}
	});

	test('unicast: each node sends from its own address to every other load-balancer node', () => {
		const addresses = loadBalancerNodes(fiveUnicast).map((node) => node.address);
		for (const node of loadBalancerNodes(fiveUnicast)) {
			const instance = instanceOf(fiveUnicast, node.name);
			assert.deepEqual(value(instance, 'unicast_src_ip'), [node.address]);
			const peers = child(instance.children, 'unicast_peer').children.map((line) => line.words[0]);
			assert.deepEqual(
				peers,
				addresses.filter((address) => address !== node.address),
			);
		}
	});

	test('multicast (unicast: false) names no peers', () => {
		const keywords = instanceOf(threeControlPlanes, 'cp1').children.map((block) => block.words[0]);
		assert.ok(!keywords.includes('unicast_peer') && !keywords.includes('unicast_src_ip'));
	});

	test('is 0600 and marked secret; the scripts are executable', () => {
		const files = new Map(filesOf(threeControlPlanes, 'cp1').map((file) => [file.path, file]));
		assert.deepEqual([files.get(keepalivedConfigPath)?.mode, files.get(keepalivedConfigPath)?.secret], [0o600, true]);
		for (const path of [checkApiserverPath, checkHaproxyPath]) {
			assert.deepEqual([files.get(path)?.mode, files.get(path)?.secret], [0o755, false], path);
		}
	});
});

describe('check scripts', () => {
	const scriptTimeout = (spec: ClusterSpec, name: string): number =>
		Number(value(child(keepalivedOf(spec, 'cp1'), 'vrrp_script', name), 'timeout')[0]);
	const curlMaxTime = (script: string): number => Number(/--max-time (\d+)/.exec(script)?.[1]);

	test('check_apiserver asks /healthz through the local haproxy port, within the script timeout', () => {
		const script = fileOf(threeControlPlanes, 'cp1', checkApiserverPath).content;
		assert.equal(threeControlPlanes.loadBalancer.port, 8443);
		assert.match(script, /^#!\/bin\/sh\n/);
		assert.match(script, /curl [^\n]*--fail[^\n]* https:\/\/127\.0\.0\.1:8443\/healthz/);
		assert.ok(curlMaxTime(script) < scriptTimeout(threeControlPlanes, 'check_apiserver'));
	});

	test('check_haproxy fails only when nothing accepts on the haproxy port, within the script timeout', () => {
		const script = fileOf(threeControlPlanes, 'cp1', checkHaproxyPath).content;
		assert.match(script, /https:\/\/127\.0\.0\.1:8443\//);
		assert.match(script, /^7 \| 127\) exit 1 ;;$/m);
		assert.ok(curlMaxTime(script) < scriptTimeout(threeControlPlanes, 'check_haproxy'));
	});
});

describe('haproxy.cfg', () => {
	const haproxyOf = (spec: ClusterSpec, nodeName: string): string =>
		fileOf(spec, nodeName, '/etc/haproxy/haproxy.cfg').content;

	/** The lines of one section (`frontend kube-apiserver`), without comments. */
	const section = (config: string, header: string): string[] => {
		const lines = config.split('\n');
		const start = lines.indexOf(header);
		assert.ok(start >= 0, `no section ${header}`);
		const end = lines.findIndex((line, index) => index > start && /^\S/.test(line));
		return lines
			.slice(start + 1, end < 0 ? undefined : end)
			.map((line) => line.trim())
			.filter((line) => line !== '' && !line.startsWith('#'));
	};

	test('a TCP frontend on the load-balancer port, every control plane a checked backend', () => {
		for (const spec of [threeControlPlanes, externalEtcd, fiveUnicast]) {
			const [node] = loadBalancerNodes(spec);
			assert.ok(node);
			const config = haproxyOf(spec, node.name);
			assert.ok(section(config, 'defaults').includes('mode tcp'));
			assert.ok(section(config, 'frontend kube-apiserver').includes(`bind *:${spec.loadBalancer.port}`));
			const backend = section(config, 'backend kube-apiserver');
			for (const line of [
				'option httpchk',
				'http-check connect ssl',
				'http-check send meth GET uri /healthz',
				'http-check expect status 200',
			]) {
				assert.ok(backend.includes(line), `${spec.name}: ${line}`);
			}

			assert.deepEqual(
				backend.filter((line) => line.startsWith('server ')),
				controlPlanes(spec).map(
					(controlPlane) =>
						`server ${controlPlane.name} ${controlPlane.address}:${spec.apiServer.bindPort} check verify none`,
				),
			);
		}
	});

	test('drops a dead backend within 2 s and retries elsewhere', () => {
		const config = haproxyOf(threeControlPlanes, 'cp1');
		const settings = section(config, 'backend kube-apiserver').find((line) => line.startsWith('default-server'));
		const setting = (name: string): string | undefined =>
			settings?.split(/\s+/)[settings.split(/\s+/).indexOf(name) + 1];
		const milliseconds = (text?: string): number =>
			text?.endsWith('ms') ? Number(text.slice(0, -2)) : Number(text?.replace(/s$/, '')) * 1000;
		const fall = Number(setting('fall'));
		assert.ok(milliseconds(setting('inter')) + (fall - 1) * milliseconds(setting('fastinter')) <= 2000);
		assert.ok(section(config, 'defaults').includes('option redispatch 1'));
	});

	test('an admin socket, and a stats page in HTTP mode only when statsPort is set', () => {
		const withStats = haproxyOf(threeControlPlanes, 'cp1');
		assert.ok(section(withStats, 'global').some((line) => line.startsWith('stats socket /run/haproxy/admin.sock ')));
		assert.deepEqual(section(withStats, 'listen stats').slice(0, 2), ['bind *:1080', 'mode http']);
		assert.ok(!haproxyOf(externalEtcd, 'lb1').includes('listen stats'));
	});

	test('is 0644 and holds no secret', () => {
		const file = fileOf(externalEtcd, 'lb1', '/etc/haproxy/haproxy.cfg');
		assert.deepEqual([file.mode, file.secret], [0o644, false]);
	});
});

describe('load-balancer nodes only, keepalived-haproxy mode only', () => {
	test('workers and control planes without the role get nothing', () => {
		for (const name of ['worker1', 'cp1', 'etcd1']) {
			assert.deepEqual(filesOf(externalEtcd, name), [], name);
		}
	});

	test('kube-vip and external modes render no keepalived or haproxy', () => {
		for (const name of ['kube-vip', 'external-load-balancer']) {
			const spec = example(name);
			for (const node of spec.nodes) {
				assert.deepEqual(filesOf(spec, node.name), [], `${name}/${node.name}`);
			}
		}
	});

	test('systemd deploy renders no manifests', () => {
		assert.ok(filesOf(threeControlPlanes, 'cp1').every((file) => !file.path.startsWith('/etc/kubernetes/')));
	});
});

describe('static pods (deploy: static-pod)', () => {
	const manifest = (spec: ClusterSpec, nodeName: string, name: string) =>
		new Pod(parse(fileOf(spec, nodeName, `/etc/kubernetes/manifests/${name}.yaml`).content));

	test('every manifest of every example is a valid Pod', () => {
		for (const file of readdirSync('examples')) {
			const spec = example(file.replace(/\.yaml$/, ''));
			for (const node of spec.nodes) {
				for (const rendered of filesOf(spec, node.name).filter((candidate) => candidate.path.endsWith('.yaml'))) {
					assert.doesNotThrow(
						() => new Pod(parse(rendered.content)).validate(),
						`${file} ${node.name} ${rendered.path}`,
					);
				}
			}
		}
	});

	test('keepalived and haproxy in kube-system on the host network; keepalived may change the network', () => {
		for (const name of ['keepalived', 'haproxy']) {
			const pod = manifest(fiveUnicast, 'cp3', name);
			assert.equal(pod.metadata?.namespace, 'kube-system');
			assert.equal(pod.spec?.hostNetwork, true);
		}

		const keepalived = manifest(fiveUnicast, 'cp3', 'keepalived').spec?.containers[0];
		assert.deepEqual(keepalived?.securityContext?.capabilities?.add, ['NET_ADMIN', 'NET_BROADCAST', 'NET_RAW']);
	});

	test('every host file a pod mounts is one this node gets', () => {
		for (const node of loadBalancerNodes(fiveUnicast)) {
			const rendered = new Set(filesOf(fiveUnicast, node.name).map((file) => file.path));
			for (const name of ['keepalived', 'haproxy']) {
				const files = (manifest(fiveUnicast, node.name, name).spec?.volumes ?? []).filter(
					(volume) => volume.hostPath?.type === 'File',
				);
				assert.ok(files.length > 0);
				for (const volume of files) {
					assert.ok(rendered.has(volume.hostPath?.path ?? ''), `${node.name}/${name}: ${volume.hostPath?.path}`);
				}
			}
		}
	});

	test('the configuration lands where each image reads it', () => {
		const mountsOf = (name: string) =>
			(manifest(fiveUnicast, 'cp1', name).spec?.containers[0]?.volumeMounts ?? []).map((mount) => mount.mountPath);
		assert.ok(mountsOf('keepalived').includes('/usr/local/etc/keepalived/keepalived.conf'));
		assert.ok(mountsOf('keepalived').includes(checkApiserverPath));
		assert.ok(mountsOf('haproxy').includes('/usr/local/etc/haproxy/haproxy.cfg'));
	});

	test('pinned default images, and loadBalancer.images overrides them', () => {
		const imageOf = (spec: ClusterSpec, name: string) => manifest(spec, 'cp1', name).spec?.containers[0]?.image;
		assert.equal(imageOf(fiveUnicast, 'keepalived'), defaultKeepalivedImage);
		assert.equal(imageOf(fiveUnicast, 'haproxy'), defaultHaproxyImage);
		for (const image of [defaultKeepalivedImage, defaultHaproxyImage]) {
			assert.match(image, /:\d+\.\d+\.\d+$/);
		}

		const text = readFileSync('examples/five-control-planes-unicast.yaml', 'utf8').replace(
			'  virtualRouterId: 77\n',
			'  virtualRouterId: 77\n  images:\n    keepalived: registry.local/keepalived:2.3.4\n    haproxy: registry.local/haproxy:3.2.9\n',
		);
		const overridden = specOf(text);
		assert.equal(imageOf(overridden, 'keepalived'), 'registry.local/keepalived:2.3.4');
		assert.equal(imageOf(overridden, 'haproxy'), 'registry.local/haproxy:3.2.9');
	});
});
