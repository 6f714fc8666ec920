// External etcd membership end to end on a 5-host lab with real etcd (Debian's etcd): two control planes with
// keepalived + haproxy and three members installed; `kubeha remove-node etcd3`, then `kubeha add-node etcd3` again
// while a client keeps writing to etcd. Read on the hosts: etcd's own member list and health, the removed member
// stopped and emptied, the join's drop-in gone, the members that stayed neither restarted nor given any file but
// etcd.env (whose ETCD_INITIAL_CLUSTER etcd reads only when it bootstraps), and each kube-apiserver's manifest,
// process and kubeadm-config naming exactly the members there are, changed one control plane at a time.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parse} from 'yaml';
import {externalEtcdClusterYaml, healthz, type KubehaResult, kubehaTimeoutMs, labCluster} from './cluster.ts';
import {
	assertHealthy,
	clientUrls,
	etcdctl,
	manifestEtcdServers,
	memberList,
	memberNames,
	runningEtcdServers,
} from './etcd-members.ts';
import {changesBetween, stateOf} from './host-state.ts';
import {type Lab, type LabHost, labAvailable, startLab} from './lab.ts';

const availability = labAvailable({commands: ['keepalived', 'haproxy', 'curl', 'socat', 'etcd', 'etcdctl']});

const succeeded = (what: string, result: KubehaResult) =>
	assert.equal(result.code, 0, `${what} failed:\n${result.stderr}\n${result.stdout.slice(-6000)}`);

/** When the API server stand-in on the host was replaced by one on a new manifest, and when the new one served. */
async function replacement(lab: Lab, host: LabHost): Promise<{replaced: string; serving: string}> {
	const {stdout} = await lab.exec(host, 'cat /var/log/lab-kube-apiserver.log');
	const lines = stdout.split('\n');
	const replaced = lines.findIndex((line) => line.includes('changed: the kubelet replaces the pod'));
	const serving = lines.findIndex((line, index) => index > replaced && line.includes(' serving on https://'));
	assert.ok(
		replaced >= 0 && serving > replaced,
		`the API server on ${host.name} was replaced, then served:\n${stdout}`,
	);
	const at = (index: number) => lines[index]?.split(' ')[0] ?? '';
	return {replaced: at(replaced), serving: at(serving)};
}

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

test('kubeha remove-node, then add-node, of an external etcd member, with real etcd', {
	skip: availability.ok ? false : availability.reason,
}, async () => {
	const lab = await startLab({hosts: 5});
	const cluster = await labCluster(lab, externalEtcdClusterYaml(lab));
	try {
		const [cp1, cp2, etcd1, etcd2, etcd3] = lab.hosts as [LabHost, LabHost, LabHost, LabHost, LabHost];
		await cluster.apply();
		assert.deepEqual(await memberNames(lab, etcd1), ['etcd1', 'etcd2', 'etcd3']);
		for (const host of [cp1, cp2]) {
			assert.deepEqual(await runningEtcdServers(lab, host), [clientUrls([etcd1, etcd2, etcd3])], host.name);
		}

		const started = performance.now();
		const removed = await cluster.kubeha(['remove-node', '--name', 'etcd3', '--yes']);
		const seconds = (performance.now() - started) / 1000;
		succeeded('remove-node etcd3', removed);
		assert.match(removed.stdout, /\[etcd1\] removed etcd3's etcd member [\da-f]+/);
		assert.match(removed.stderr, /2 etcd members will be left/);

		for (const host of [etcd1, etcd2]) {
			assert.deepEqual(await memberNames(lab, host), ['etcd1', 'etcd2'], `etcd's own member list on ${host.name}`);
		}

		assert.equal((await lab.exec(etcd3, 'systemctl is-active etcd')).stdout.trim(), 'inactive');
		assert.equal((await lab.exec(etcd3, 'systemctl is-enabled etcd')).stdout.trim(), 'disabled');
		assert.equal((await lab.exec(etcd3, 'pgrep -x etcd')).code, 1, 'no etcd process on etcd3');
		assert.equal((await lab.exec(etcd3, 'ls -A /var/lib/etcd')).stdout, '', "the removed member's data is gone");

		// The API servers and kubeadm's record of the cluster no longer name etcd3: each manifest, each running
		// process (the kubelet stand-in restarted it on the new manifest), the kubeadm-config ConfigMap.
		const remaining = clientUrls([etcd1, etcd2]);
		for (const host of [cp1, cp2]) {
			assert.equal(await manifestEtcdServers(lab, host), remaining, `kube-apiserver.yaml on ${host.name}`);
			assert.deepEqual(await runningEtcdServers(lab, host), [remaining], `kube-apiserver on ${host.name}`);
			const previous = await lab.exec(host, 'cat /etc/kubernetes/manifests/.kube-apiserver.yaml.kubeha-previous');
			assert.match(previous.stdout, new RegExp(`--etcd-servers=${clientUrls([etcd1, etcd2, etcd3])}\n`));
			// The kubelet runs every file there but dotfiles (like the copy kept above).
			const manifests = await lab.exec(host, 'ls /etc/kubernetes/manifests');
			assert.equal(
				manifests.stdout,
				'kube-apiserver.yaml\nkube-controller-manager.yaml\nkube-scheduler.yaml\n',
				`nothing else for the kubelet to run on ${host.name}`,
			);
		}
		// One control plane at a time: cp2's API server went down only once cp1's served again.
		const [first, second] = [await replacement(lab, cp1), await replacement(lab, cp2)];
		assert.ok(
			first.serving < second.replaced,
			`cp1 served again (${first.serving}) before cp2 went (${second.replaced})`,
		);
		const stored = await lab.exec(
			cp1,
			"kubectl --kubeconfig /etc/kubernetes/admin.conf -n kube-system get cm kubeadm-config -o jsonpath='{.data.ClusterConfiguration}'",
		);
		assert.equal(stored.code, 0, stored.stderr);
		assert.deepEqual(parse(stored.stdout).etcd.external.endpoints, remaining.split(','));
		assert.equal(await healthz(lab.address(100), 8443), 'ok');

		// Then etcd3 comes back, while a client keeps writing to etcd through the two members left.
		const before = await Promise.all([cp1, cp2, etcd1, etcd2].map((host) => stateOf(lab, host)));
		const writes = writeLoop(lab, etcd1, [etcd1, etcd2]);
		const addStarted = performance.now();
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
		const addSeconds = (performance.now() - addStarted) / 1000;
		const written = await writes.stop();
		succeeded('add-node etcd3', added);
		// Its data went with the removal: it joins as a new member.
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
			`remove-node etcd3 ${seconds.toFixed(0)} s; add-node etcd3 again ${addSeconds.toFixed(0)} s; ${written.writes} writes to etcd during it, ${written.failed} failed\n`,
		);
	} finally {
		await lab.stop();
		cluster.remove();
	}
});
