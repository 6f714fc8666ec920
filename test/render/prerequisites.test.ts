import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {
	containerdUnitPath,
	crictlConfigPath,
	modulesLoadPath,
	prerequisiteFiles,
	sysctlPath,
} from '../../source/render/prerequisites.ts';
import {runsKubelet} from '../../source/spec/cluster.ts';
import {specOf} from '../helpers/spec.ts';
import {contextFor, renderEach} from './fixtures.ts';

/** The lines that take effect: modules-load.d and sysctl.d both treat `#` lines as comments. */
const settings = (content: string): string[] =>
	content.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#'));

describe('node prerequisites', async () => {
	// The example with dedicated load-balancer and etcd nodes, which run no kubelet.
	const spec = specOf(undefined, 'external-etcd');
	const files = renderEach(await contextFor(spec), prerequisiteFiles);

	test("every node with a kubelet gets the module list, the sysctls, containerd's unit and crictl.yaml; the others nothing", () => {
		for (const node of spec.nodes) {
			const paths = (files.get(node.name) ?? []).map((file) => file.path);
			assert.deepEqual(
				paths,
				runsKubelet(node) ? [modulesLoadPath, sysctlPath, containerdUnitPath, crictlConfigPath] : [],
				node.name,
			);
		}

		assert.ok(
			spec.nodes.some((node) => !runsKubelet(node)),
			'the example must have nodes without a kubelet',
		);
	});

	test('overlay and br_netfilter load at boot; forwarding and bridge netfilter are on', () => {
		const [modules, sysctls] = files.get('worker1') ?? [];
		assert.deepEqual(settings(modules?.content ?? ''), ['overlay', 'br_netfilter']);
		assert.deepEqual(settings(sysctls?.content ?? ''), [
			'net.ipv4.ip_forward = 1',
			'net.bridge.bridge-nf-call-iptables = 1',
			'net.bridge.bridge-nf-call-ip6tables = 1',
		]);
		for (const file of [modules, sysctls]) {
			assert.equal(file?.mode, 0o644);
			assert.equal(file?.secret, false);
		}
	});
});
