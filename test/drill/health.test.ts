import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {type ClusterHealth, healthProblems, type NodeHealth, vipHoldersIn} from '../../source/drill/health.ts';

const vip = '192.168.1.94';
const allUp = [
	{server: 'cp1', status: 'UP'},
	{server: 'cp2', status: 'UP'},
];
const node = (name: string, changes: Partial<NodeHealth> = {}): NodeHealth => ({
	node: name,
	holdsVip: false,
	keepalivedRuns: true,
	haproxyAnswered: true,
	backends: allUp,
	stashed: [],
	...changes,
});
const cluster = (nodes: NodeHealth[], healthz: ClusterHealth['healthz'] = {ok: true}): ClusterHealth => ({
	nodes,
	healthz,
	healthzUrl: `https://${vip}:8443/healthz`,
});
const whole = () => [node('cp1', {holdsVip: true}), node('cp2')];

describe('healthProblems', () => {
	it('finds nothing wrong with a whole cluster, and names the holder', () => {
		assert.deepEqual(healthProblems(cluster(whole()), vip), []);
		assert.deepEqual(vipHoldersIn(cluster(whole())), ['cp1']);
	});

	it('needs exactly one holder of the VIP', () => {
		const [none] = healthProblems(cluster([node('cp1'), node('cp2')]), vip);
		assert.match(none ?? '', /^no load-balancer node holds the VIP 192\.168\.1\.94: check keepalived/);
		const [split] = healthProblems(cluster([node('cp1', {holdsVip: true}), node('cp2', {holdsVip: true})]), vip);
		assert.match(split ?? '', /^cp1, cp2 all hold the VIP 192\.168\.1\.94 at once \(VRRP split brain\)/);
	});

	it('says which API server haproxy has down, on which node', () => {
		const down = [
			{server: 'cp1', status: 'UP'},
			{server: 'cp2', status: 'DOWN'},
		];
		assert.deepEqual(healthProblems(cluster([node('cp1', {holdsVip: true, backends: down}), node('cp2')]), vip), [
			'haproxy on cp1 has the API server cp2 DOWN: bring that API server back (crictl ps and journalctl -u kubelet on cp2) before a drill takes another one away.',
		]);
	});

	it('tells a stopped keepalived, a silent haproxy and one without API servers apart', () => {
		const problems = healthProblems(
			cluster([
				node('cp1', {holdsVip: true, keepalivedRuns: false}),
				node('cp2', {haproxyAnswered: false, backends: []}),
				node('cp3', {backends: []}),
			]),
			vip,
		);
		assert.equal(problems.length, 3);
		assert.match(problems[0] ?? '', /^keepalived does not run on cp1, so it cannot take the VIP over/);
		assert.match(problems[1] ?? '', /^haproxy on cp2 does not answer on its admin socket \/run\/haproxy\/admin\.sock/);
		assert.match(problems[2] ?? '', /^haproxy on cp3 has no kube-apiserver backend/);
	});

	it('tells how to put back a manifest an earlier drill left aside', () => {
		const stashed = ['/etc/kubernetes/kubeha-drill/kube-apiserver.yaml'];
		assert.deepEqual(healthProblems(cluster([node('cp1', {holdsVip: true, stashed}), node('cp2')]), vip), [
			'cp1: an earlier drill left /etc/kubernetes/kubeha-drill/kube-apiserver.yaml out of /etc/kubernetes/manifests, so the kubelet does not run that pod; put it back on cp1: mv /etc/kubernetes/kubeha-drill/kube-apiserver.yaml /etc/kubernetes/manifests/',
		]);
	});

	it('reports a node it could not ask, without guessing about the VIP', () => {
		const problems = healthProblems(cluster([node('cp1', {unreachable: 'ssh: connect timed out'}), node('cp2')]), vip);
		assert.deepEqual(problems, ['cannot ask cp1 over ssh: ssh: connect timed out']);
	});

	it('needs /healthz through the VIP, and points at the CA when the certificate is not the cluster’s', () => {
		const [failed] = healthProblems(cluster(whole(), {ok: false, error: 'ECONNREFUSED'}), vip);
		assert.equal(
			failed,
			'GET https://192.168.1.94:8443/healthz failed (ECONNREFUSED): the API does not answer through the VIP.',
		);
		const [foreign] = healthProblems(cluster(whole(), {ok: false, error: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'}), vip);
		assert.match(foreign ?? '', /the certificate is not from this cluster's CA/);
	});
});
