import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {problemsOf} from '../../source/status/problems.ts';
import type {EtcdMemberStatus, HostStatus, KubernetesStatus, Problem} from '../../source/status/types.ts';
import {answeringApi, labSpec, recordedHost, recordedStatus} from './fixtures.ts';

/** The problems' nodes and headlines, the part a reader scans first. */
const headlines = (problems: readonly Problem[]) => problems.map((problem) => [problem.node, problem.what]);

const healthy = (node: string) => recordedHost('healthy', node);
const withVip = (host: HostStatus, vipHeld: boolean): HostStatus => ({...host, vipHeld});
const withKeepalived = (
	host: HostStatus,
	state: string,
	effectivePriority: number,
	basePriority: number,
): HostStatus => ({
	...host,
	loadBalancer: {
		haproxy: host.loadBalancer?.haproxy ?? {answered: false, error: 'not recorded'},
		keepalived: {running: true, instance: {state, basePriority, effectivePriority}},
	},
});

/** keepalived not running on the host (killed), haproxy as it was. */
const withoutKeepalived = (host: HostStatus): HostStatus => ({
	...host,
	loadBalancer: {
		haproxy: host.loadBalancer?.haproxy ?? {answered: false, error: 'not recorded'},
		keepalived: {running: false},
	},
});

test('a healthy cluster has no problems, with stacked etcd out of sight while the API servers answer /healthz', () => {
	assert.deepEqual(problemsOf(recordedStatus('healthy'), labSpec), []);
});

describe('the VIP and keepalived', () => {
	test('keepalived stopped on cp1: it cannot hold the VIP, which moved to cp2 (where VRRP now puts it)', () => {
		const problems = problemsOf(recordedStatus('keepalived-down'), labSpec);
		assert.deepEqual(headlines(problems), [
			['cp1', 'keepalived is not running on cp1'],
			['cp3', 'API server cp3 is DOWN in haproxy on cp1, cp2, cp3'],
			['cp3', 'the API server on cp3 is unhealthy'],
		]);
		assert.equal(
			problems[0]?.why,
			'no keepalived process runs there, so cp1 cannot hold the VIP; the VIP is on cp2 instead of here (priority 120)',
		);
		assert.match(problems[0]?.fix ?? '', /`systemctl start keepalived` on cp1/);
	});

	test('the VIP on no node', () => {
		const problems = problemsOf(recordedStatus({cp1: withVip(healthy('cp1'), false)}), labSpec);
		assert.deepEqual(headlines(problems), [[undefined, 'the VIP 198.18.1.100 is on no node']]);
		assert.match(problems[0]?.why ?? '', /clients of https:\/\/198\.18\.1\.100:8443 reach nothing/);
	});

	test('the VIP on two nodes at once (split brain)', () => {
		const problems = problemsOf(recordedStatus({cp3: withVip(healthy('cp3'), true)}), labSpec);
		assert.deepEqual(headlines(problems), [[undefined, 'the VIP 198.18.1.100 is on cp1, cp3 at once']]);
		assert.match(problems[0]?.fix ?? '', /virtual_router_id 75/);
	});

	test('two holders after a crash: keepalived killed on cp1, which kept the VIP, and cp2 took it too', () => {
		const killed = withoutKeepalived(withVip(healthy('cp1'), true));
		const status = recordedStatus({
			cp1: killed,
			cp2: withKeepalived(withVip(healthy('cp2'), true), 'MASTER', 110, 110),
		});
		const problems = problemsOf(status, labSpec);
		assert.deepEqual(headlines(problems), [
			[undefined, 'the VIP 198.18.1.100 is on cp1, cp2 at once'],
			['cp1', 'keepalived is not running on cp1'],
		]);
		const [split, notRunning] = problems;
		assert.match(
			split?.why ?? '',
			/^keepalived is not running on cp1, which still has the VIP: a keepalived that dies without stopping \(kill -9, a crash, the OOM killer\) cannot remove it, and cp2 took it over as VRRP should/,
		);
		assert.match(split?.fix ?? '', /`systemctl start keepalived` on cp1/);
		assert.doesNotMatch(split?.fix ?? '', /protocol 112|virtual_router_id/, 'not the blocked-VRRP fix');
		assert.equal(
			notRunning?.why,
			'no keepalived process runs there, yet cp1 still has the VIP: a keepalived that dies without stopping (kill -9, a crash, the OOM killer) cannot remove it, and cp2 holds it too',
		);
		assert.doesNotMatch(
			notRunning?.why ?? '',
			/cannot hold the VIP|instead of here/,
			'no line says cp1 cannot hold what it holds',
		);
	});

	test('two holders with keepalived running on both: VRRP traffic between them is blocked', () => {
		const status = recordedStatus({
			cp1: withKeepalived(withVip(healthy('cp1'), true), 'MASTER', 120, 120),
			cp2: withKeepalived(withVip(healthy('cp2'), true), 'MASTER', 110, 110),
		});
		const problems = problemsOf(status, labSpec);
		assert.deepEqual(headlines(problems), [[undefined, 'the VIP 198.18.1.100 is on cp1, cp2 at once']]);
		assert.match(
			problems[0]?.why ?? '',
			/keepalived runs on each of them and each holds the VIP: they do not hear each other's VRRP adverts/,
		);
		assert.match(problems[0]?.fix ?? '', /IP protocol 112 \(VRRP\)/);
	});

	test('keepalived killed on cp1 and no backup took over yet: cp1 keeps the VIP, unwatched', () => {
		const killed = withoutKeepalived(withVip(healthy('cp1'), true));
		const problems = problemsOf(recordedStatus({cp1: killed}), labSpec);
		assert.deepEqual(headlines(problems), [['cp1', 'keepalived is not running on cp1']]);
		assert.match(
			problems[0]?.why ?? '',
			/yet cp1 still has the VIP: .* and the VIP stays here, unwatched, until keepalived runs again$/,
		);
	});

	test('the VIP on a node VRRP would not choose: cp3 holds it while cp1, priority 120, runs healthy', () => {
		const status = recordedStatus({
			cp1: withKeepalived(withVip(healthy('cp1'), false), 'BACKUP', 120, 120),
			cp3: withKeepalived(withVip(healthy('cp3'), true), 'MASTER', 100, 100),
		});
		const problems = problemsOf(status, labSpec);
		assert.deepEqual(headlines(problems), [['cp3', 'the VIP 198.18.1.100 is on cp3, not on cp1']]);
		assert.equal(
			problems[0]?.why,
			'cp1 advertises the highest priority (120) of the load-balancer nodes whose keepalived runs, cp3 100; VRRP should have moved the VIP there within seconds',
		);
	});

	test('a lowered priority (the API check fails) and FAULT (the haproxy check fails) are problems where they happen', () => {
		const status = recordedStatus({
			cp1: withKeepalived(withVip(healthy('cp1'), false), 'BACKUP', 99, 120),
			cp2: withKeepalived(withVip(healthy('cp2'), true), 'MASTER', 110, 110),
			cp3: recordedHost('haproxy-down', 'cp3'),
		});
		assert.deepEqual(headlines(problemsOf(status, labSpec)), [
			['cp1', 'keepalived on cp1 lowered its priority from 120 to 99'],
			['cp3', 'keepalived on cp3 is in FAULT'],
			['cp3', 'haproxy on cp3 does not answer on its admin socket'],
			['cp3', 'the API server on cp3 is unhealthy'],
		]);
	});

	test('a keepalived whose state could not be read is unknown, not a problem', () => {
		const cp2 = healthy('cp2');
		const unread: HostStatus = {
			...cp2,
			loadBalancer: {
				haproxy: cp2.loadBalancer?.haproxy ?? {answered: false, error: ''},
				keepalived: {running: true, error: 'keepalived (pid 600) wrote no /tmp/keepalived.data within 3 s of SIGUSR1'},
			},
		};
		assert.deepEqual(problemsOf(recordedStatus({cp2: unread}), labSpec), []);
	});
});

test('haproxy without a server for a control plane', () => {
	const cp1 = healthy('cp1');
	const backends = cp1.loadBalancer?.haproxy.answered ? cp1.loadBalancer.haproxy.backends.slice(0, 2) : [];
	const status = recordedStatus({
		cp1: {...cp1, loadBalancer: {keepalived: {running: false}, haproxy: {answered: true, backends}}},
	});
	assert.deepEqual(headlines(problemsOf(status, labSpec)).slice(-1), [['cp1', 'haproxy on cp1 has no server for cp3']]);
});

test('a node ssh cannot reach is a problem; what it would hold is not guessed', () => {
	const status = recordedStatus({
		cp3: {
			node: 'cp3',
			address: '198.18.1.13',
			reachable: false,
			error: 'ssh: connect to host 198.18.1.13 port 22: No route to host',
		},
	});
	const problems = problemsOf(status, labSpec);
	assert.deepEqual(headlines(problems), [['cp3', 'cp3 (198.18.1.13) is not reachable over ssh']]);
	assert.equal(problems[0]?.why, 'ssh: connect to host 198.18.1.13 port 22: No route to host');
});

describe('etcd (the lab runs no stacked etcd: these members are parsed answers)', () => {
	const member = (memberId: string, leaderId: string, healthy = true): EtcdMemberStatus => ({
		answered: true,
		healthy,
		memberId,
		leaderId,
	});
	const refused = "curl: (7) Failed to connect to 198.18.1.13 port 2379 after 0 ms: Couldn't connect to server";
	const withEtcd = (node: string, etcd: EtcdMemberStatus): HostStatus => ({...healthy(node), etcd});

	test('all members healthy and agreeing on the leader: no problem', () => {
		const status = recordedStatus({
			cp1: withEtcd('cp1', member('1', '1')),
			cp2: withEtcd('cp2', member('2', '1')),
			cp3: withEtcd('cp3', member('3', '1')),
		});
		assert.deepEqual(problemsOf(status, labSpec), []);
	});

	test('a member down while the others answer', () => {
		const status = recordedStatus({
			cp1: withEtcd('cp1', member('1', '1')),
			cp2: withEtcd('cp2', member('2', '1')),
			cp3: withEtcd('cp3', {answered: false, error: refused}),
		});
		const problems = problemsOf(status, labSpec);
		assert.deepEqual(headlines(problems), [['cp3', 'etcd member cp3 does not answer']]);
		assert.match(problems[0]?.fix ?? '', /the etcd static pod on cp3 .*with 2 of 3 members answering/);
	});

	test('a member without a leader, an unhealthy one, and members naming different leaders', () => {
		const status = recordedStatus({
			cp1: withEtcd('cp1', member('1', '1')),
			cp2: withEtcd('cp2', member('2', '0')),
			cp3: withEtcd('cp3', member('3', '3', false)),
		});
		assert.deepEqual(headlines(problemsOf(status, labSpec)), [
			['cp2', 'etcd member cp2 has no leader'],
			['cp3', 'etcd member cp3 is unhealthy'],
			[undefined, 'the etcd members name 2 different leaders'],
		]);
	});

	test('no member answering is a problem when no API server is healthy either', () => {
		const down = (node: string): HostStatus => ({
			...withEtcd(node, {answered: false, error: refused}),
			apiServer: {healthy: false, detail: 'HTTP 500: [-]etcd failed'},
		});
		const problems = problemsOf(recordedStatus({cp1: down('cp1'), cp2: down('cp2'), cp3: down('cp3')}), labSpec);
		assert.deepEqual(
			headlines(problems).filter(([, what]) => what?.startsWith('etcd')),
			[
				['cp1', 'etcd member cp1 does not answer'],
				['cp2', 'etcd member cp2 does not answer'],
				['cp3', 'etcd member cp3 does not answer'],
			],
		);
	});
});

describe('through the Kubernetes API', () => {
	const api = (change: Partial<Extract<KubernetesStatus, {answered: true}>>): KubernetesStatus =>
		({
			...answeringApi,
			...change,
		}) as KubernetesStatus;

	test('a node NotReady, and one that never registered', () => {
		const status = recordedStatus(
			'healthy',
			api({
				nodes: [
					{name: 'cp1', ready: 'True'},
					{name: 'cp2', ready: 'Unknown', reason: 'NodeStatusUnknown: Kubelet stopped posting node status.'},
				],
			}),
		);
		const problems = problemsOf(status, labSpec);
		assert.deepEqual(headlines(problems), [
			['cp2', 'cp2 is not Ready (Unknown)'],
			['cp3', 'cp3 is not a node of the cluster'],
		]);
		assert.equal(problems[0]?.why, 'NodeStatusUnknown: Kubelet stopped posting node status.');
	});

	test('a leader lease without a holder, and one its holder stopped renewing', () => {
		const status = recordedStatus(
			'healthy',
			api({
				leases: [
					{name: 'kube-controller-manager'},
					{name: 'kube-scheduler', holderIdentity: 'lab-h2_0b1c', renewedSecondsAgo: 40, durationSeconds: 15},
				],
			}),
		);
		const problems = problemsOf(status, labSpec);
		assert.deepEqual(headlines(problems), [
			[undefined, 'kube-controller-manager has no leader'],
			['cp2', "kube-scheduler's leader lease expired"],
		]);
		assert.equal(
			problems[1]?.why,
			'its holder lab-h2_0b1c (cp2) last renewed it 40 s ago, for 15 s, and no other kube-scheduler took it over',
		);
	});

	test('a lease renewed within its duration plus clock slack is fine', () => {
		const leases = [{name: 'kube-scheduler', holderIdentity: 'lab-h1_x', renewedSecondsAgo: 25, durationSeconds: 15}];
		assert.deepEqual(problemsOf(recordedStatus('healthy', api({leases})), labSpec), []);
	});

	test('the API not answering through the endpoint is a problem; no kubeconfig yet is not', () => {
		const unreachable: KubernetesStatus = {
			answered: false,
			kubeconfig: 'present',
			server: 'https://198.18.1.100:8443',
			error: 'ECONNREFUSED',
		};
		assert.deepEqual(headlines(problemsOf(recordedStatus('healthy', unreachable), labSpec)), [
			[undefined, 'the Kubernetes API does not answer through https://198.18.1.100:8443'],
		]);
		const missing: KubernetesStatus = {answered: false, kubeconfig: 'missing', path: '/srv/lab/.kubeha/admin.conf'};
		assert.deepEqual(problemsOf(recordedStatus('healthy', missing), labSpec), []);
	});
});
