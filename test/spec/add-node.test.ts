import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {type AddNodeResult, addNodeToSpecText, type NodeToAdd} from '../../source/spec/add-node.ts';
import {loadSpec} from '../../source/spec/load.ts';
import {exampleText} from '../helpers/spec.ts';

const threeControlPlanes = exampleText('three-control-planes');

/** The result of a successful add; a refusal fails the test with its findings. */
function added(text: string, node: NodeToAdd): Extract<AddNodeResult, {ok: true}> {
	const result = addNodeToSpecText(text, node);
	assert.ok(result.ok, `refused: ${JSON.stringify(!result.ok && result.findings)}`);
	return result;
}

/** A spec laid out by hand: 4-space indentation, flow and block entries, comments with odd spacing. */
const handWritten = `apiVersion: kubeha/v1alpha1
kind: Cluster
name: lab
loadBalancer:
    mode: keepalived-haproxy
    vip: 10.0.0.100/24
    interface: eth0
# the nodes
nodes:
    # control planes
    - { name: cp1, address: 10.0.0.11, roles: [ control-plane, load-balancer ] }   # first
    - {name: cp2, address: 10.0.0.12, roles: [control-plane, load-balancer]}
    -   name: cp3
        address: 10.0.0.13
        roles:
          - control-plane
          - load-balancer

# end
`;

describe('adding a node to the spec text', () => {
	it('appends a worker in the layout of the entries before it and changes no other line', () => {
		const result = added(threeControlPlanes, {name: 'worker3', address: '192.168.1.103', roles: ['worker']});
		assert.equal(
			result.text,
			`${threeControlPlanes}  - name: worker3\n    address: 192.168.1.103\n    roles: [worker]\n`,
		);
		assert.deepEqual(result.findings, []);
		assert.deepEqual(result.weaker, []);
		assert.deepEqual(result.notes, []);
		assert.equal(result.spec.nodes.at(-1)?.name, 'worker3');
	});

	it('writes a flow entry after flow entries', () => {
		const flow = threeControlPlanes.replace(
			/ {2}- name: worker1\n {4}address: 192\.168\.1\.101\n {4}roles: \[worker]\n {2}- name: worker2\n {4}address: 192\.168\.1\.102\n {4}roles: \[worker]\n$/,
			'  - {name: worker1, address: 192.168.1.101, roles: [worker]}\n',
		);
		const result = added(flow, {name: 'worker2', address: '192.168.1.102', roles: ['worker']});
		assert.equal(result.text, `${flow}  - {name: worker2, address: 192.168.1.102, roles: [worker]}\n`);
	});

	it('gives a new load-balancer node a priority below every other, so the VIP stays where it is', () => {
		const result = added(threeControlPlanes, {
			name: 'lb4',
			address: '192.168.1.95',
			roles: ['load-balancer'],
		});
		assert.match(
			result.text,
			/ {2}- name: lb4\n {4}address: 192\.168\.1\.95\n {4}roles: \[load-balancer]\n {4}priority: 90\n$/,
		);
		assert.deepEqual(result.notes, [
			'lb4 gets keepalived priority 90, below every other load-balancer node, so the VIP stays where it is (--priority sets another).',
		]);
		assert.deepEqual(result.weaker, []);
	});

	it('writes out the priorities the others had by default, when the new node would shift them', () => {
		const result = added(handWritten, {name: 'w1', address: '10.0.0.21', roles: ['load-balancer', 'worker']});
		assert.equal(
			result.text,
			handWritten
				.replace('load-balancer ] }   # first', 'load-balancer ], priority: 120 }   # first')
				.replace('load-balancer]}\n', 'load-balancer], priority: 110}\n')
				.replace(
					'          - load-balancer\n\n',
					'          - load-balancer\n        priority: 100\n    -   name: w1\n        address: 10.0.0.21\n        roles:\n          - load-balancer\n          - worker\n        priority: 90\n\n',
				),
		);
		const before = loadSpec(handWritten).spec?.nodes.map((node) => node.priority);
		assert.deepEqual(
			result.spec.nodes.map((node) => node.priority),
			[...(before ?? []), 90],
			'no existing node changes priority',
		);
		assert.match(
			result.notes[1] ?? '',
			/^cp1 keeps priority 120, cp2 keeps priority 110, cp3 keeps priority 100: written into the spec/,
		);
	});

	it('warns that a priority above the VIP holder takes the VIP at once', () => {
		const result = added(threeControlPlanes, {
			name: 'lb4',
			address: '192.168.1.95',
			roles: ['load-balancer'],
			priority: 130,
		});
		assert.deepEqual(
			result.weaker.map((finding) => [finding.rule, finding.path]),
			[['add-node-takes-vip', 'nodes[5].priority']],
		);
		assert.match(
			result.weaker[0]?.message ?? '',
			/^lb4 would have keepalived priority 130, above 120 of cp1, which holds the VIP: keepalived preempts, so the VIP moves to lb4 as soon as its keepalived starts, and API connections through cp1 .* are cut$/,
		);
		assert.match(
			result.weaker[0]?.fix ?? '',
			/give lb4 a priority below 120 \(leave --priority out and kubeha picks 90\)/,
		);
	});

	it('calls an even number of etcd members weaker', () => {
		const result = added(threeControlPlanes, {
			name: 'cp4',
			address: '192.168.1.95',
			roles: ['control-plane', 'load-balancer'],
		});
		assert.deepEqual(
			result.weaker.map((finding) => finding.rule),
			['etcd-member-count'],
		);
		assert.match(result.weaker[0]?.message ?? '', /4 members need 3 for quorum and tolerate 1 failure, the same as 3/);
	});

	it('reports the errors of the result, and then no "weaker" findings', () => {
		const result = added(threeControlPlanes, {name: 'etcd1', address: '192.168.1.111', roles: ['etcd']});
		assert.deepEqual(
			result.findings.filter((finding) => finding.severity === 'error').map((finding) => finding.rule),
			['etcd-role-stacked'],
		);
		assert.deepEqual(result.weaker, []);
	});

	it('refuses a name or an address that is taken, and a spec with errors', () => {
		const taken = addNodeToSpecText(threeControlPlanes, {name: 'cp2', address: '192.168.1.101', roles: ['worker']});
		assert.equal(taken.ok, false);
		assert.deepEqual(
			taken.findings.map((finding) => [finding.rule, finding.path, finding.message]),
			[
				['add-node-name-taken', 'nodes[1].name', 'nodes[1].name is already "cp2"; node names are unique'],
				[
					'add-node-address-taken',
					'nodes[3].address',
					'nodes[3].address of worker1 is already 192.168.1.101; each node has its own address',
				],
			],
		);
		const broken = addNodeToSpecText(threeControlPlanes.replace('kind: Cluster', 'kind: Clustre'), {
			name: 'w3',
			address: '192.168.1.103',
			roles: ['worker'],
		});
		assert.equal(broken.ok, false);
		assert.deepEqual(
			broken.findings.map((finding) => finding.rule),
			['unknown-kind'],
		);
	});
});
