// `kubeha add-node --role etcd` end to end on a 5-host lab with real etcd: two control planes (keepalived + haproxy)
// and two external etcd members installed, then a third member added while a client keeps writing to etcd. Read on
// the hosts: etcd's own member list and health, the join's drop-in gone, the members that were there before
// neither restarted nor given any file but etcd.env (whose ETCD_INITIAL_CLUSTER etcd reads only when it bootstraps),
// and each kube-apiserver running with the three members.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {healthz, type KubehaResult, kubehaTimeoutMs, labCluster, stackedClusterYaml} from './cluster.ts';
import {
	assertHealthy,
	clientUrls,
	etcdctl,
	manifestEtcdServers,
	memberList,
	runningEtcdServers,
} from './etcd-members.ts';
import {changesBetween, stateOf} from './host-state.ts';
import {type Lab, type LabHost, labAvailable, startLab} from './lab.ts';

const availability = labAvailable({commands: ['keepalived', 'haproxy', 'curl', 'socat', 'etcd', 'etcdctl']});

/** cp1 and cp2 (control planes with keepalived + haproxy), then etcd1 and etcd2 on the next hosts. */
function twoMemberYaml(lab: Lab): string {
	const members = lab.hosts
		.slice(2, 4)
		.map((host, index) => `  - {name: etcd${index + 1}, address: ${host.address}, roles: [etcd]}\n`);
	const controlPlanes = stackedClusterYaml(lab, {controlPlanes: 2, workers: 0});
	return controlPlanes.replace('topology: stacked', 'topology: external') + members.join('');
}

const succeeded = (what: string, result: KubehaResult) =>
	assert.equal(result.code, 0, `${what} failed:\n${result.stderr}\n${result.stdout.slice(-6000)}`);

/**
A client on `host` writing a new key to etcd through both old members, one `etcdctl put` after another, until the
file /tmp/stop-writes appears: how many writes etcd acknowledged and which failed.
*/
function writeLoop(lab: Lab, host: LabHost, endpoints: readonly LabHost[]) {
	const put = etcdctl(endpoints, '--command-timeout 5s put "/kubeha-lab/$n" "$n"');
	const script = [
		'n=0; failed=0',
		'while [ ! -e /tmp/stop-writes ]; do',
		'\tn=$((n + 1))',
		`\tif ! ${put} >/dev/null 2>/tmp/write-error; then failed=$((failed + 1)); cat /tmp/write-error; fi`,
		'done',
		'echo "writes $n failed $failed"',
	].join('\n');
	// As long as the add takes (it waits for etcd and for each API server), well past exec's default minute.
	const finished = lab.exec(host, script, {timeoutMs: kubehaTimeoutMs});
	return {
		async stop(): Promise<{writes: number; failed: number; errors: string}> {
			await lab.exec(host, 'touch /tmp/stop-writes');
			const {stdout} = await finished;
			const [, writes = '0', failed = '0'] = /writes (\d+) failed (\d+)/.exec(stdout) ?? [];
			return {writes: Number(writes), failed: Number(failed), errors: stdout};
		},
	};
}

test('kubeha add-node adds an external etcd member, one member at a time, with real etcd', {
	skip: availability.ok ? false : availability.reason,
}, async () => {
	const lab = await startLab({hosts: 5});
	const cluster = await labCluster(lab, twoMemberYaml(lab));
	try {
		const [cp1, cp2, etcd1, etcd2, etcd3] = lab.hosts as [LabHost, LabHost, LabHost, LabHost, LabHost];
		await cluster.apply();
		assert.deepEqual(await memberList(lab, etcd1), ['etcd1 started', 'etcd2 started']);

		const before = await Promise.all([cp1, cp2, etcd1, etcd2].map((host) => stateOf(lab, host)));
		const writes = writeLoop(lab, etcd1, [etcd1, etcd2]);
		const started = performance.now();
		const added = await cluster.kubeha([
			'add-node',
			'--name',
			'etcd3',
			'--address',
			etcd3.address,
			'--role',
			'etcd',
			'--yes',
		]);
		const seconds = (performance.now() - started) / 1000;
		const written = await writes.stop();
		succeeded('add-node etcd3', added);
		assert.match(added.stdout, /\[etcd3\] kubeha: adding etcd3 to the etcd cluster \(etcdctl member add\)/);

		// etcd's own word, on every member: one cluster of three, each healthy.
		for (const host of [etcd1, etcd2, etcd3]) {
			assert.deepEqual(await memberList(lab, host), ['etcd1 started', 'etcd2 started', 'etcd3 started'], host.name);
			await assertHealthy(lab, host);
		}
		const drop = await lab.exec(etcd3, 'ls /etc/systemd/system/etcd.service.d /etc/etcd 2>&1');
		assert.doesNotMatch(drop.stdout, /kubeha-join/, 'the join drop-in is gone once the member runs');
		assert.match((await lab.exec(etcd3, 'cat /etc/etcd/etcd.env')).stdout, /^ETCD_INITIAL_CLUSTER_STATE=new$/m);

		// The members that were there: etcd.env rewritten (the new member list), etcd not restarted.
		for (const [index, host] of [etcd1, etcd2].entries()) {
			const changes = changesBetween(before[index + 2] as (typeof before)[number], await stateOf(lab, host));
			assert.deepEqual(changes.restarted, [], `no service restarted on ${host.name}`);
			// etcd's own data changes with every write the client makes: not kubeha's doing.
			const kubehaFiles = changes.files.filter((path) => !path.startsWith('/var/lib/etcd/'));
			assert.deepEqual(kubehaFiles, ['/etc/etcd/etcd.env', '/etc/etcd/etcd.env.kubeha-previous'], host.name);
		}
		// The control planes: the load balancer keeps running as it was; each API server now uses all three members.
		const members = clientUrls([etcd1, etcd2, etcd3]);
		for (const [index, host] of [cp1, cp2].entries()) {
			const changes = changesBetween(before[index] as (typeof before)[number], await stateOf(lab, host));
			for (const service of ['keepalived.service', 'haproxy.service']) {
				assert.ok(!changes.restarted.includes(service), `${service} not restarted on ${host.name}`);
			}
			assert.equal(await manifestEtcdServers(lab, host), members, `kube-apiserver.yaml on ${host.name}`);
			assert.deepEqual(await runningEtcdServers(lab, host), [members], `kube-apiserver on ${host.name}`);
		}

		assert.equal(written.failed, 0, `writes to etcd failed during the add:\n${written.errors}`);
		assert.ok(written.writes > 0, 'the client wrote during the add');
		assert.equal(await healthz(lab.address(100), 8443), 'ok');
		process.stdout.write(
			`add-node etcd3 (external etcd) ${seconds.toFixed(0)} s; ${written.writes} writes to etcd during it, ${written.failed} failed\n`,
		);
	} finally {
		await lab.stop();
		cluster.remove();
	}
});
