import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {blankSpec, defaultTopology, topologyOf} from '../../source/wizard/answers.ts';
import {quorumNote, reconcileNodes} from '../../source/wizard/topology.ts';
import {exampleSpec} from './helpers.ts';

const names = (spec: {nodes: {name: string}[]}) => spec.nodes.map((node) => node.name);

describe('reconcileNodes', () => {
	test('fills an empty spec from the topology, control planes first, with no addresses', () => {
		const spec = reconcileNodes({...blankSpec(), name: 'prod'}, defaultTopology);
		assert.deepEqual(names(spec), ['cp1', 'cp2', 'cp3', 'worker1', 'worker2']);
		assert.deepEqual(spec.nodes[0], {name: 'cp1', address: '', roles: ['control-plane', 'load-balancer']});
		assert.deepEqual(spec.nodes[3]?.roles, ['worker']);
	});

	test('keeps the nodes that still fit, with their addresses, and adds or drops at the end of each group', () => {
		const spec = exampleSpec('three-control-planes');
		const grown = reconcileNodes(spec, {...topologyOf(spec), controlPlanes: 5, workers: 1});
		assert.deepEqual(names(grown), ['cp1', 'cp2', 'cp3', 'cp4', 'cp5', 'worker1']);
		assert.equal(grown.nodes[2]?.address, '192.168.1.93');
		assert.equal(grown.nodes[3]?.address, '');
	});

	test('moving keepalived to dedicated nodes takes the role and the priorities off the control planes', () => {
		const spec = exampleSpec('three-control-planes');
		const moved = reconcileNodes(spec, {...topologyOf(spec), placement: 'dedicated', loadBalancerNodes: 2});
		assert.deepEqual(moved.nodes[0], {name: 'cp1', address: '192.168.1.91', roles: ['control-plane']});
		assert.deepEqual(names(moved), ['cp1', 'cp2', 'cp3', 'lb1', 'lb2', 'worker1', 'worker2']);
	});

	test('kube-vip sets the mode and no node keeps the load-balancer role', () => {
		const spec = exampleSpec('three-control-planes');
		const moved = reconcileNodes(spec, {...topologyOf(spec), placement: 'kube-vip'});
		assert.equal(moved.loadBalancer.mode, 'kube-vip');
		assert.ok(moved.nodes.every((node) => !node.roles.includes('load-balancer')));
	});

	test('a spec that already has the topology is left exactly as it is', () => {
		for (const name of ['three-control-planes', 'external-etcd', 'kube-vip', 'external-load-balancer']) {
			const spec = exampleSpec(name);
			assert.deepEqual(reconcileNodes(spec, topologyOf(spec)), spec, name);
		}
	});
});

test('topologyOf reads the examples back', () => {
	assert.deepEqual(topologyOf(exampleSpec('external-etcd')), {
		controlPlanes: 3,
		etcdNodes: 3,
		workers: 2,
		placement: 'dedicated',
		loadBalancerNodes: 2,
	});
	assert.equal(topologyOf(exampleSpec('external-load-balancer')).placement, 'external');
});

describe('quorumNote', () => {
	test('3 members tolerate 1 failure', () => {
		assert.equal(quorumNote(3), '3 etcd members tolerate 1 failure (quorum 2).');
	});

	test('2 is worse than 1', () => {
		assert.match(quorumNote(2), /2 etcd members tolerate 0 failures \(quorum 2\).*2 is worse than 1/);
	});

	test('an even count is no better than one fewer', () => {
		assert.match(quorumNote(4), /tolerate 1 failure \(quorum 3\): no more than 3 would/);
	});

	test('one member tolerates nothing', () => {
		assert.match(quorumNote(1), /tolerates no failure/);
	});
});
