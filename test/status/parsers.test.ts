import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {parseHealthz} from '../../source/status/checks/api-server.ts';
import {parseCertificateExpiry} from '../../source/status/checks/certificates.ts';
import {parseEtcd} from '../../source/status/checks/etcd.ts';
import {parseHaproxyStat} from '../../source/status/checks/haproxy.ts';
import {parseKeepalived} from '../../source/status/checks/keepalived.ts';
import {holdsVip} from '../../source/status/checks/vip.ts';
import {lastLine, splitSections} from '../../source/status/sections.ts';
import {recordedHost, recordedOutput} from './fixtures.ts';

const ok = (text: string) => ({text, exitCode: 0});

describe('splitSections', () => {
	test('reads each check between its markers, with its exit status, output without a last newline included', () => {
		const stdout = [
			'@@kubeha-status-begin hostname',
			'lab-h1',
			'',
			'@@kubeha-status-end 0',
			'@@kubeha-status-begin api-server',
			'curl: (7) Failed to connect',
			'000',
			'@@kubeha-status-end 7',
			'',
		].join('\n');
		assert.deepEqual(
			splitSections(stdout),
			new Map([
				['hostname', {text: 'lab-h1', exitCode: 0}],
				['api-server', {text: 'curl: (7) Failed to connect\n000', exitCode: 7}],
			]),
		);
	});

	test('a check cut off before its end marker is left out', () => {
		assert.deepEqual(splitSections('@@kubeha-status-begin vip\n2: eth0 inet'), new Map());
	});

	test('lastLine is the last line with text, or says there was none', () => {
		assert.equal(lastLine('first\nsocat: Connection refused\n\n'), 'socat: Connection refused');
		assert.equal(lastLine('  \n'), 'no output');
	});
});

describe('parseKeepalived (from the data dump kubeha filters on the host)', () => {
	test('the state, the configured and the effective priority of the kube_apiserver instance', () => {
		const text = 'instance kube_apiserver\nState = FAULT\nPriority = 100\nEffective priority = 79';
		assert.deepEqual(parseKeepalived(ok(text)), {
			running: true,
			instance: {state: 'FAULT', basePriority: 100, effectivePriority: 79},
		});
	});

	test('another instance in the dump is not ours', () => {
		const text = [
			'instance other',
			'State = MASTER',
			'Priority = 200',
			'Effective priority = 200',
			'instance kube_apiserver',
			'State = BACKUP',
			'Priority = 110',
			'Effective priority = 110',
		].join('\n');
		assert.deepEqual(parseKeepalived(ok(text)), {
			running: true,
			instance: {state: 'BACKUP', basePriority: 110, effectivePriority: 110},
		});
	});

	test('no process is "not running"; no dump in time, or no such instance, is running but unknown', () => {
		assert.deepEqual(parseKeepalived({text: 'no keepalived process is running', exitCode: 3}), {running: false});
		assert.deepEqual(
			parseKeepalived({text: 'keepalived (pid 599) wrote no /tmp/keepalived.data within 3 s of SIGUSR1', exitCode: 4}),
			{running: true, error: 'keepalived (pid 599) wrote no /tmp/keepalived.data within 3 s of SIGUSR1'},
		);
		assert.deepEqual(parseKeepalived(ok('instance VI_1\nState = MASTER\nPriority = 101\nEffective priority = 101')), {
			running: true,
			error: "keepalived's data dump has no VRRP instance kube_apiserver",
		});
	});
});

describe('parseHaproxyStat (show stat CSV, columns by header name)', () => {
	const section = (output: string) => {
		const text = output.split('@@kubeha-status-begin haproxy\n')[1]?.split('\n@@kubeha-status-end')[0] ?? '';
		return ok(text);
	};

	test('every API server of the kube-apiserver backend, with its status and last check', () => {
		assert.deepEqual(parseHaproxyStat(section(recordedOutput('keepalived-down', 'cp2'))), {
			answered: true,
			backends: [
				{server: 'cp1', status: 'UP', check: 'L7OK', checkDescription: 'Layer7 check passed'},
				{server: 'cp2', status: 'UP', check: 'L7OK', checkDescription: 'Layer7 check passed'},
				{
					server: 'cp3',
					status: 'DOWN',
					check: 'L4CON',
					checkDescription: 'Layer4 connection problem: Connection refused',
				},
			],
		});
	});

	test('no socket is no answer, with socat’s error', () => {
		const text = '2026/11/22 07:36:34 socat[5486] E connect(, AF=1 "/run/haproxy/admin.sock", 25): Connection refused';
		assert.deepEqual(parseHaproxyStat({text, exitCode: 1}), {answered: false, error: text});
	});
});

describe('parseHealthz', () => {
	test('200 ok is healthy; any other answer is unhealthy with its status and body', () => {
		assert.deepEqual(parseHealthz(ok('ok\n200')), {healthy: true, detail: 'ok'});
		assert.deepEqual(parseHealthz(ok('[-]etcd failed: reason withheld\nhealthz check failed\n500')), {
			healthy: false,
			detail: 'HTTP 500: [-]etcd failed: reason withheld\nhealthz check failed',
		});
	});

	test('no connection is curl’s error, not the 000 curl writes as the status', () => {
		assert.deepEqual(
			parseHealthz({
				text: "curl: (7) Failed to connect to 198.18.1.13 port 6443 after 12 ms: Couldn't connect to server\n\n000",
				exitCode: 7,
			}),
			{
				healthy: false,
				detail: "curl: (7) Failed to connect to 198.18.1.13 port 6443 after 12 ms: Couldn't connect to server",
			},
		);
	});
});

describe('parseEtcd (answers shaped as etcd 3.4.23 gives them to curl and etcdctl)', () => {
	const leader = '12928076962249821583';

	test('etcd’s HTTP gateway, as curl gets it: ids as strings', () => {
		const status = `{"header":{"cluster_id":"1995581823251976912","member_id":"${leader}","revision":"1","raft_term":"2"},"version":"3.4.23","dbSize":"20480","leader":"${leader}","raftIndex":"5"}`;
		assert.deepEqual(parseEtcd(ok('{"health":"true"}'), ok(status)), {
			answered: true,
			healthy: true,
			memberId: leader,
			leaderId: leader,
		});
	});

	test('etcdctl -w json: ids as bare uint64 numbers, kept exact', () => {
		const status = `[{"Endpoint":"https://198.18.1.11:2379","Status":{"header":{"cluster_id":1995581823251976912,"member_id":11111111111111111111,"revision":1,"raft_term":2},"version":"3.4.23","dbSize":20480,"leader":${leader},"raftIndex":4}}]`;
		const health = '[{"endpoint":"https://198.18.1.11:2379","health":false,"error":"context deadline exceeded"}]';
		assert.deepEqual(parseEtcd({text: health, exitCode: 1}, ok(status)), {
			answered: true,
			healthy: false,
			memberId: '11111111111111111111',
			leaderId: leader,
		});
	});

	test('no status is no answer, with the error', () => {
		const refused = "curl: (7) Failed to connect to 198.18.1.11 port 2379 after 0 ms: Couldn't connect to server";
		assert.deepEqual(parseEtcd({text: refused, exitCode: 7}, {text: refused, exitCode: 7}), {
			answered: false,
			error: refused,
		});
	});
});

test('holdsVip: the VIP among the interface’s addresses, whatever its prefix; a missing interface holds nothing', () => {
	const addresses =
		'2: eth0    inet 198.18.1.11/24 scope global eth0\\       valid_lft forever preferred_lft forever\n2: eth0    inet 198.18.1.100/24 scope global secondary eth0\\       valid_lft forever preferred_lft forever';
	assert.equal(holdsVip(ok(addresses), '198.18.1.100'), true);
	assert.equal(holdsVip(ok(addresses), '198.18.1.10'), false);
	assert.equal(holdsVip({text: 'Device "eth9" does not exist.', exitCode: 1}, '198.18.1.100'), false);
});

test('parseHostProbe reads a whole recorded probe of a node', () => {
	assert.deepEqual(recordedHost('healthy', 'cp1'), {
		node: 'cp1',
		address: '198.18.1.11',
		reachable: true,
		hostname: 'lab-h1',
		vipHeld: true,
		loadBalancer: {
			keepalived: {running: true, instance: {state: 'MASTER', basePriority: 120, effectivePriority: 120}},
			haproxy: {
				answered: true,
				backends: ['cp1', 'cp2', 'cp3'].map((server) => ({
					server,
					status: 'UP',
					check: 'L7OK',
					checkDescription: 'Layer7 check passed',
				})),
			},
		},
		apiServer: {healthy: true, detail: 'ok'},
		certificates: parseCertificateExpiry(splitSections(recordedOutput('healthy', 'cp1')).get('certificates') ?? ok('')),
		etcd: {
			answered: false,
			error: "curl: (7) Failed to connect to 198.18.1.11 port 2379 after 0 ms: Couldn't connect to server",
		},
	});
});
