import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {completeSpec} from '../../source/spec/defaults.ts';
import type {Finding} from '../../source/spec/finding.ts';
import {assessRemoval, type RemovalObservations} from '../../steps/remove/safety.ts';
import {draftOf, type Edit, type ExampleName} from '../helpers/spec.ts';

/** assessRemoval on an (edited) example: the spec with the node, and the one cluster.yaml gives without it. */
function assess(
	name: string,
	{
		example = 'three-control-planes',
		edit = () => undefined,
		observed,
	}: {
		example?: ExampleName;
		edit?: Edit;
		observed?: RemovalObservations;
	} = {},
): Finding[] {
	const draft = draftOf(example);
	edit(draft);
	const before = completeSpec(draft);
	const after = completeSpec({...draft, nodes: draft.nodes.filter((node) => node.name !== name)});
	return assessRemoval({before, after, name, ...(observed ? {observed} : {})});
}

const rules = (findings: readonly Finding[]) => findings.map((finding) => `${finding.severity} ${finding.rule}`);
const only = (findings: readonly Finding[], rule: string): Finding => {
	const found = findings.filter((finding) => finding.rule === rule);
	assert.equal(found.length, 1, `one ${rule} in ${JSON.stringify(findings, undefined, 2)}`);
	return found[0] as Finding;
};

describe('assessRemoval refuses what would break the cluster', () => {
	it('a name that is no node, with the closest name', () => {
		const finding = only(assess('cp4'), 'remove-unknown-node');
		assert.equal(finding.severity, 'error');
		assert.match(
			finding.message,
			/--name "cp4" is not a node of cluster prod; its nodes are cp1, cp2, cp3, worker1 and worker2/,
		);
		assert.match(finding.fix, /did you mean --name cp1\?/);
		assert.match(only(assess('nothing-like-it'), 'remove-unknown-node').fix, /give the name of one of these nodes/);
	});

	it('the last control plane', () => {
		const lonely: Edit = (draft) => {
			draft.nodes = draft.nodes.filter((node) => node.name !== 'cp2' && node.name !== 'cp3');
		};
		const finding = only(assess('cp1', {edit: lonely}), 'remove-last-control-plane');
		assert.equal(finding.path, 'nodes[0]');
		assert.match(finding.message, /cp1 is the only control plane of cluster prod/);
	});

	it('the only load-balancer node', () => {
		const oneBalancer: Edit = (draft) => {
			for (const node of draft.nodes.filter((candidate) => candidate.name !== 'cp3')) {
				node.roles = node.roles.filter((role) => role !== 'load-balancer');
				delete node.priority;
			}
		};
		const finding = only(assess('cp3', {edit: oneBalancer}), 'remove-only-load-balancer');
		assert.equal(finding.severity, 'error');
		assert.match(
			finding.message,
			/cp3 is the only load-balancer node: without it nothing holds the VIP 192\.168\.1\.94\/24/,
		);
	});

	it('the last external etcd member', () => {
		const oneMember: Edit = (draft) => {
			draft.nodes = draft.nodes.filter((node) => node.name !== 'etcd2' && node.name !== 'etcd3');
		};
		const finding = only(assess('etcd1', {example: 'external-etcd', edit: oneMember}), 'remove-last-etcd-member');
		assert.match(finding.message, /etcd1 is the only etcd member of cluster core/);
	});

	it('etcd below quorum: the members left must answer in enough number', () => {
		// cp2 is down: without cp3, cp1 alone is 1 of the 2 members left, which need 2.
		const finding = only(assess('cp3', {observed: {healthyEtcdMembers: ['cp1', 'cp3']}}), 'remove-below-etcd-quorum');
		assert.match(
			finding.message,
			/after removing cp3, etcd has 2 members, which need 2 to agree, but only 1 of them answer \(not cp2\): the cluster would stop/,
		);
		assert.match(finding.fix, /bring etcd on cp2 back first; .*kubeha remove-node --name cp2/);
		// Removing the member that is down instead is what the fix says, and it is fine.
		assert.deepEqual(rules(assess('cp2', {observed: {healthyEtcdMembers: ['cp1', 'cp3']}})), [
			'warning remove-below-three-control-planes',
			'warning remove-even-etcd-members',
		]);
	});

	it('etcd without quorum now cannot agree to a removal', () => {
		const fourMembers: Edit = (draft) => {
			draft.nodes.push({name: 'etcd4', address: '10.20.0.34', roles: ['etcd']});
		};
		// 4 members, etcd3 and etcd4 down: the 2 left of 3 after removing etcd4 would do, but 2 of 4 cannot commit it.
		const finding = only(
			assess('etcd4', {
				example: 'external-etcd',
				edit: fourMembers,
				observed: {healthyEtcdMembers: ['etcd1', 'etcd2']},
			}),
			'remove-without-etcd-quorum',
		);
		assert.match(finding.message, /only 2 of the 4 etcd members answer, fewer than the 3 etcd needs/);
	});
});

describe('assessRemoval warns where the cluster ends up weaker', () => {
	it('two control planes with stacked etcd, the even member count', () => {
		const findings = assess('cp3', {observed: {vipHolder: 'cp1', healthyEtcdMembers: ['cp1', 'cp2', 'cp3']}});
		assert.deepEqual(rules(findings), [
			'warning remove-below-three-control-planes',
			'warning remove-even-etcd-members',
		]);
		assert.match(
			findings[0]?.message ?? '',
			/2 control planes will be left \(cp1 and cp2\): with stacked etcd, the failure of either stops the cluster/,
		);
		assert.match(
			findings[1]?.message ?? '',
			/2 etcd members will be left: they need 2 to agree and tolerate 0 failures/,
		);
	});

	it('the VIP holder: it moves to the highest priority left', () => {
		const holder = only(assess('cp1', {observed: {vipHolder: 'cp1'}}), 'remove-vip-holder');
		assert.match(
			holder.message,
			/^cp1 holds the VIP 192\.168\.1\.94\/24: it moves to cp2 \(the highest priority left\)/,
		);
		// Unobserved, the priorities say who should hold it.
		assert.match(only(assess('cp1'), 'remove-vip-holder').message, /^cp1 should hold the VIP/);
		// Another node holds it now (cp1 is down, say): removing cp1 does not move it.
		assert.equal(
			assess('cp1', {observed: {vipHolder: 'cp2'}}).some((finding) => finding.rule === 'remove-vip-holder'),
			false,
		);
	});

	it("the first control plane hands kubeadm init's part to the next", () => {
		assert.match(
			only(assess('cp1'), 'remove-first-control-plane').message,
			/cp2 takes that part for kubeha: the next apply writes \/etc\/kubeha\/kubeadm-init\.yaml there/,
		);
	});

	it('a single load balancer left, a single etcd member left', () => {
		const twoBalancers: Edit = (draft) => {
			draft.nodes = draft.nodes.filter((node) => node.name !== 'cp3');
		};
		const findings = assess('cp2', {edit: twoBalancers});
		assert.match(only(findings, 'remove-single-load-balancer').message, /only cp1 will run keepalived and haproxy/);
		assert.match(only(findings, 'remove-single-etcd-member').message, /one etcd member \(cp1\) will be left/);
	});

	it('a worker: nothing to say', () => {
		assert.deepEqual(assess('worker2'), []);
	});

	it('kube-vip: the leader holding the VIP', () => {
		const finding = only(assess('cp2', {example: 'kube-vip', observed: {vipHolder: 'cp2'}}), 'remove-vip-holder');
		assert.match(finding.message, /cp2 holds the VIP 172\.16\.10\.100\/24 \(its kube-vip leads\)/);
	});
});
