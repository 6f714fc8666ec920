import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {describe, it} from 'node:test';
import type {Finding} from '../../source/spec/finding.ts';
import {preflight} from '../../steps/preflight.ts';
import type {HostFacts} from '../../steps/scripts/facts.ts';
import {preflightFindings} from '../../steps/scripts/preflight-rules.ts';
import {testSecrets} from '../helpers/secrets.ts';
import type {ExampleName} from '../helpers/spec.ts';
import {healthyFacts, linesOf, outcomes, stepHarness} from './step-harness.ts';

const clusterCaSha256 = createHash('sha256').update(testSecrets.clusterCa.cert).digest('hex');

/** What preflight finds on one host of an example when its facts are changed, the others healthy. */
function findings(
	hostName: string,
	change: (facts: HostFacts) => Partial<HostFacts>,
	example: ExampleName = 'three-control-planes',
): Finding[] {
	const {spec, node, run} = stepHarness({example});
	const host = node(hostName);
	const healthy = healthyFacts(spec, host);
	const facts = {...healthy, ...change(healthy)};
	const all = new Map(run.facts);
	all.set(host.name, facts);
	return preflightFindings({spec, host, facts, all, clusterCaSha256});
}

const rules = (found: readonly Finding[]) => found.map((finding) => `${finding.severity} ${finding.rule}`);

describe('preflightFindings', () => {
	it('finds nothing on healthy hosts of every role', () => {
		for (const [example, host] of [
			['three-control-planes', 'cp1'],
			['three-control-planes', 'worker1'],
			['external-etcd', 'etcd2'],
			['external-etcd', 'lb1'],
			['kube-vip', 'cp3'],
			['external-load-balancer', 'cp1'],
		] as const) {
			assert.deepEqual(
				findings(host, () => ({}), example),
				[],
				`${example} ${host}`,
			);
		}
	});

	it('refuses a system kubeha has no packages for, and an architecture Kubernetes has none for', () => {
		const found = findings('cp2', () => ({
			os: {id: 'alpine', idLike: [], name: 'Alpine Linux v3.20'},
			family: undefined,
			arch: 'riscv64',
		}));
		assert.deepEqual(rules(found), ['error supported-os', 'error supported-arch']);
		assert.equal(found[0]?.path, 'nodes[1]');
		assert.match(found[0]?.message ?? '', /cp2 runs Alpine Linux v3\.20 \(ID alpine\)/);
		assert.match(found[0]?.fix ?? '', /Debian, Ubuntu/);
	});

	it('wants the node address on an interface of the node', () => {
		const found = findings('worker1', (facts) => ({
			interfaces: [{name: 'eth0', addresses: [{address: '10.9.9.9', prefix: 24}]}, ...facts.interfaces.slice(0, 1)],
		}));
		assert.deepEqual(rules(found), ['error node-address']);
		assert.equal(found[0]?.path, 'nodes[3].address');
		assert.match(found[0]?.message ?? '', /192\.168\.1\.101 is on no interface of worker1 \(it has 10\.9\.9\.9\)/);
	});

	it('wants the VIP interface on the VIP holders, with the VIP inside its subnet', () => {
		const missing = findings('cp1', () => ({
			interfaces: [{name: 'eth9', addresses: [{address: '192.168.1.91', prefix: 24}]}],
		}));
		assert.deepEqual(rules(missing), ['error vip-interface']);
		assert.equal(missing[0]?.path, 'loadBalancer.interface');
		const outside = findings('cp2', () => ({
			interfaces: [{name: 'ens192', addresses: [{address: '192.168.1.92', prefix: 31}]}],
		}));
		assert.deepEqual(rules(outside), ['error vip-subnet']);
		assert.match(
			outside[0]?.message ?? '',
			/the VIP 192\.168\.1\.94 is outside every subnet of ens192 on cp2 \(192\.168\.1\.92\/31\)/,
		);
		// Workers hold no VIP: their interfaces are theirs.
		assert.deepEqual(
			findings('worker2', () => ({interfaces: [{name: 'eth0', addresses: [{address: '192.168.1.102', prefix: 24}]}]})),
			[],
		);
	});

	it('refuses a VIP something answers at while no node of the cluster holds it', () => {
		assert.deepEqual(rules(findings('cp1', () => ({vip: 'answers'}))), ['error vip-in-use']);
		// A rerun: a node of this cluster holds it, so it answers.
		const held = findings('cp1', (facts) => ({
			vip: 'answers',
			interfaces: [
				{name: 'ens192', addresses: [...(facts.interfaces[1]?.addresses ?? []), {address: '192.168.1.94', prefix: 24}]},
			],
		}));
		assert.deepEqual(held, []);
		assert.deepEqual(
			findings('cp1', () => ({vip: 'silent'})),
			[],
		);
		assert.deepEqual(rules(findings('cp1', () => ({vip: 'unknown'}))), ['warning vip-in-use']);
		assert.deepEqual(
			findings('cp2', () => ({vip: 'unknown'})),
			[],
			'the first VIP holder says it once',
		);
	});

	it('refuses ports held by something else, and allows what belongs there (a rerun)', () => {
		const taken = findings('cp1', () => ({
			listening: [
				{address: '0.0.0.0', port: 8443, program: 'nginx'},
				{address: '*', port: 6443, program: 'kube-apiserver'},
				{address: '192.168.1.91', port: 2379, program: 'etcd'},
				{address: '*', port: 10250},
			],
		}));
		assert.deepEqual(rules(taken), ['error port-in-use', 'error port-in-use']);
		assert.equal(taken[0]?.path, 'nodes[0]', '10250 is no spec field');
		assert.match(
			taken[0]?.message ?? '',
			/port 10250 on cp1, which the kubelet needs, is in use by a program ss could not name/,
		);
		assert.equal(taken[1]?.path, 'loadBalancer.port');
		assert.match(taken[1]?.fix ?? '', /stop nginx on cp1, or choose another loadBalancer\.port/);
		assert.deepEqual(
			rules(findings('etcd1', () => ({listening: [{address: '*', port: 2380, program: 'other'}]}), 'external-etcd')),
			['error port-in-use'],
		);
		assert.deepEqual(
			findings('worker1', () => ({listening: [{address: '*', port: 2379, program: 'other'}]})),
			[],
		);
	});

	it('refuses a clock more than 30 s off, either way', () => {
		assert.deepEqual(rules(findings('cp3', () => ({clockSkewSeconds: 31}))), ['error clock-skew']);
		assert.match(findings('cp3', () => ({clockSkewSeconds: -45}))[0]?.message ?? '', /45 s behind/);
		assert.deepEqual(
			findings('cp3', () => ({clockSkewSeconds: 29.6})),
			[],
		);
	});

	it('warns of swap on nodes with a kubelet only (the prerequisites step turns it off)', () => {
		assert.deepEqual(rules(findings('worker1', () => ({swapOn: true}))), ['warning swap-on']);
		assert.deepEqual(
			findings('lb1', () => ({swapOn: true}), 'external-etcd'),
			[],
		);
	});

	it('says an older containerd is replaced, refuses to downgrade a newer one, and refuses another kubeadm version', () => {
		const replaced = findings('cp1', () => ({versions: {containerd: '1.6.20'}}));
		assert.deepEqual(rules(replaced), ['warning containerd-version']);
		assert.match(replaced[0]?.message ?? '', /replaces it with 2\.3\.4 from the upstream release/);
		const newer = findings('cp1', () => ({versions: {containerd: '2.4.0'}}));
		assert.deepEqual(rules(newer), ['error containerd-version']);
		assert.match(newer[0]?.fix ?? '', /components\.releases\.containerd/);
		assert.deepEqual(
			findings('cp1', () => ({versions: {containerd: '2.3.4'}})),
			[],
		);
		const upgrade = findings('cp1', () => ({versions: {kubeadm: '1.36.2'}}));
		assert.deepEqual(rules(upgrade), ['error kubeadm-version']);
		assert.equal(upgrade[0]?.path, 'kubernetes.version');
		assert.deepEqual(
			findings('cp1', () => ({versions: {kubeadm: '1.37.1'}})),
			[],
		);
	});

	it("refuses a node of another cluster (another CA), not one of this cluster's", () => {
		const other = findings('cp2', () => ({caCertSha256: 'f'.repeat(64)}));
		assert.deepEqual(rules(other), ['error other-cluster']);
		assert.match(other[0]?.fix ?? '', /kubeadm reset -f/);
		assert.deepEqual(
			findings('cp2', () => ({caCertSha256: clusterCaSha256})),
			[],
		);
	});

	it('warns of etcd data on a node that is no etcd member, and of an active firewalld', () => {
		const etcdData = (facts: HostFacts) => ({existing: [...facts.existing, '/var/lib/etcd/member']});
		assert.deepEqual(rules(findings('worker1', etcdData)), ['warning etcd-data']);
		assert.deepEqual(findings('cp1', etcdData), []);
		assert.deepEqual(rules(findings('worker1', () => ({services: {firewalld: 'active'}}))), ['warning firewall']);
	});
});

describe('the preflight step', () => {
	it('says every finding and fails the host on an error, changing nothing', async () => {
		const {spec, run, runThrough} = stepHarness();
		const cp2 = spec.nodes[1];
		assert.ok(cp2);
		run.facts.set('cp2', {...healthyFacts(spec, cp2), swapOn: true, clockSkewSeconds: 120});
		const {summary, events} = await runThrough([preflight(run)]);
		assert.equal(summary.status, 'failed');
		assert.deepEqual(
			Object.fromEntries(Object.entries(outcomes(events)).map(([host, outcome]) => [host, outcome.status])),
			{cp1: 'done', cp2: 'failed', cp3: 'done', worker1: 'done', worker2: 'done'},
		);
		assert.match(
			summary.failures[0]?.error ?? '',
			/^1 preflight error on cp2 \(nothing was changed\): the clock of cp2 is 120 s ahead/,
		);
		const lines = linesOf(events, 'cp2');
		assert.equal(lines.length, 2);
		assert.match(lines[0] ?? '', /^error \[clock-skew\] nodes\[1\]: .*Fix: synchronise the clocks/);
		assert.match(lines[1] ?? '', /^warning \[swap-on\]/);
	});

	it('fails clearly on a host whose facts were not gathered', async () => {
		const {run, runThrough} = stepHarness();
		run.facts.delete('worker2');
		const {summary} = await runThrough([preflight(run)]);
		assert.match(summary.failures[0]?.error ?? '', /no facts about worker2: the gather-facts step has not run on it/);
	});
});
