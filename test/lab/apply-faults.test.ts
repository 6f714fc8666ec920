// Issue #5, scenario 5: faults during `kubeha apply` on a lab of three control planes (keepalived + haproxy as
// services, stacked etcd, no workers). (a) A host's sshd dies in the middle of the install; (b) a step fails on one
// host for a cause on that host. Each run stops with a report that names the host and what to do, leaves no
// half-written file on any host, and `kubeha apply --resume` goes on once the cause is gone, to a working cluster.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {
	eventsOf,
	haproxyBackends,
	healthz,
	holdersOf,
	labCluster,
	type RunEventLine,
	stackedClusterYaml,
} from './cluster.ts';
import {killSshd, startSshd} from './host-sshd.ts';
import {managedCopies, managedFileProblems, renderedFiles} from './host-state.ts';
import {labAvailable, startLab} from './lab.ts';
import {startApply} from './running-apply.ts';

const availability = labAvailable({commands: ['keepalived', 'haproxy', 'curl', 'socat']});

type Failure = {host: string; stepId: string; error: string; exitCode?: number; lastLines: string[]};

/** The failures the run's end reports. */
function failuresOf(events: readonly RunEventLine[]): Failure[] {
	const end = events.find((event) => event.kind === 'run-end');
	assert.ok(end, 'the run reported its end');
	return end['failures'] as Failure[];
}

/** `<step> <host> <status>` of each host's part of each step, in the order they ended. */
const outcomesOf = (events: readonly RunEventLine[]) =>
	events
		.filter((event) => event.kind === 'host-end')
		.map((event) => `${event['stepId']} ${event['host']} ${(event['outcome'] as {status: string}).status}`);

test('kubeha apply stops cleanly on a lost host or a failing step, and --resume finishes the install', {
	skip: availability.ok ? false : availability.reason,
}, async () => {
	const lab = await startLab({hosts: 3});
	const cluster = await labCluster(lab, stackedClusterYaml(lab, {controlPlanes: 3, workers: 0}));
	try {
		const [cp1, cp2, cp3] = lab.hosts;
		assert.ok(cp1 && cp2 && cp3);
		const files = await renderedFiles(cluster);
		// What the hosts have before kubeha: the packages' own haproxy.cfg and keepalived.conf, say.
		const original = await managedCopies(lab, cluster, files);

		// (a) cp2's sshd dies (listener and sessions) while the load-balancer step puts its files there.
		const cut = startApply(lab, cluster);
		await cut.waitFor(
			(event) =>
				event.kind === 'line' &&
				event['host'] === 'cp2' &&
				event['stepId'] === 'load-balancer' &&
				String(event['text']).startsWith('wrote '),
		);
		await killSshd(lab, cp2);
		const lost = await cut.done;
		assert.equal(lost.code, 1, lost.stderr);
		const [lostFailure, ...otherLost] = failuresOf(lost.events);
		assert.deepEqual(otherLost, []);
		assert.equal(`${lostFailure?.stepId} ${lostFailure?.host}`, 'load-balancer cp2');
		// ssh's own exit code for a lost connection, and what to check.
		assert.equal(lostFailure?.exitCode, 255);
		assert.match(lostFailure?.error ?? '', /\bcp2\b.*\bssh\b/s);
		assert.match(
			lost.stderr,
			/kubeha apply failed; the full log is .+ Fix the cause, then run `kubeha apply -c .+ --resume`/,
		);
		assert.ok(
			!lost.events.some((event) => event.kind === 'step-start' && event['stepId'] === 'kubeadm-init'),
			'no step starts after the one that failed',
		);
		assert.deepEqual(await managedFileProblems(lab, cluster, files, original), [], 'no half-written file');

		// (b) cp2 is back, but cp3 has lost haproxy's system user: haproxy refuses the new haproxy.cfg there.
		await startSshd(lab, cp2);
		const breakUser = await lab.exec(
			cp3,
			'cp -p /etc/passwd /etc/group /root/ && sed -i "/^haproxy:/d" /etc/passwd /etc/group',
		);
		assert.equal(breakUser.code, 0, breakUser.stderr);
		const refusedRun = await cluster.kubeha(['apply', '--resume', '--yes', '--output', 'json']);
		const refused = eventsOf(refusedRun.stdout);
		assert.equal(refusedRun.code, 1, refusedRun.stderr);
		const outcomes = outcomesOf(refused);
		assert.ok(outcomes.includes('load-balancer cp1 skipped'), 'cp1 is not done again');
		assert.ok(outcomes.includes('load-balancer cp2 done'), 'cp2 is finished');
		const [refusal, ...otherRefused] = failuresOf(refused);
		assert.deepEqual(otherRefused, []);
		assert.equal(`${refusal?.stepId} ${refusal?.host}`, 'load-balancer cp3');
		assert.match(
			refusal?.error ?? '',
			/^the new \/etc\/haproxy\/haproxy\.cfg fails `haproxy -c -f .+` on cp3, so kubeha left the old one in place/,
		);
		assert.ok(
			refusal?.lastLines.some((line) => line.includes("cannot find user id for 'haproxy'")),
			`haproxy's own reason is in the report: ${refusal?.lastLines.join('\n')}`,
		);
		assert.match(refusedRun.stderr, /Fix the cause, then run `kubeha apply -c .+ --resume`/);
		const haproxyConfig = (copies: typeof original) => copies.copies.get('cp3')?.get('/etc/haproxy/haproxy.cfg');
		assert.equal(
			haproxyConfig(await managedCopies(lab, cluster, files)),
			haproxyConfig(original),
			"cp3's haproxy.cfg is the one it had",
		);
		assert.deepEqual(await managedFileProblems(lab, cluster, files, original), [], 'no half-written file');

		// Fixed: --resume goes on from cp3's load balancer to a working cluster.
		const restoreUser = await lab.exec(cp3, 'cp -p /root/passwd /root/group /etc/');
		assert.equal(restoreUser.code, 0, restoreUser.stderr);
		const finished = outcomesOf(await cluster.apply(['--resume']));
		assert.ok(finished.includes('prerequisites cp1 skipped'), 'the resumed run skips what is finished');
		assert.ok(finished.includes('load-balancer cp3 done'));
		const vip = lab.address(100);
		assert.deepEqual(await holdersOf(lab, vip), [cp1.name], 'the VIP is on cp1 (highest priority) only');
		assert.equal(await healthz(vip, 8443), 'ok');
		for (const host of lab.hosts) {
			assert.deepEqual(await haproxyBackends(lab, host), ['cp1 UP', 'cp2 UP', 'cp3 UP'], `haproxy on ${host.name}`);
		}

		assert.deepEqual(await managedFileProblems(lab, cluster, files), []);
	} finally {
		await lab.stop();
		cluster.remove();
	}
});
