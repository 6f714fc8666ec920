// `kubeha remove-node` end to end on a 4-host lab: three control planes with keepalived + haproxy and stacked etcd,
// and a worker, installed by the built binary; then cp3 (not the VIP holder) and the worker are removed. What
// changed, and what did not, is read on the hosts: haproxy's config and admin socket, `kubectl get nodes`,
// processes and services, the VIP, files written and services touched on the hosts that needed no change.
import assert from 'node:assert/strict';
import {lstat, readdir} from 'node:fs/promises';
import {join} from 'node:path';
import {test} from 'node:test';
import {parse} from 'yaml';
import {haproxyBackends, healthz, holdersOf, labCluster, stackedClusterYaml} from './cluster.ts';
import {clientUrls, manifestEtcdServers, memberNames, runningEtcdServers} from './etcd-members.ts';
import {type Lab, type LabHost, labAvailable, startLab} from './lab.ts';

const availability = labAvailable({commands: ['keepalived', 'haproxy', 'curl', 'socat']});
const etcdAvailability = labAvailable({commands: ['keepalived', 'haproxy', 'curl', 'socat', 'etcd', 'etcdctl']});

/** `kubectl get nodes` on a control plane, through its admin.conf. */
async function nodeNames(lab: Lab, host: LabHost): Promise<string[]> {
	const {stdout, code} = await lab.exec(host, 'kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes -o name');
	assert.equal(code, 0, `kubectl get nodes on ${host.name}`);
	return stdout.trim().split('\n').sort();
}

/**
The cluster's own data, not files kubeha writes: the API server stand-in's replica of the store (which stands in
for etcd, whose data changes when a Node is deleted) and its log.
*/
const clusterData = ['/var/lib/lab-kube-apiserver/', '/var/log/lab-kube-apiserver.log'];

/**
Files the host wrote (or deleted) since `since`: the lab's overlay keeps every write of a host to /etc, /usr, /var…
in its layers' upper directories, so they are read there, from outside the host.
*/
async function filesWrittenSince(host: LabHost, since: number): Promise<string[]> {
	const layers = join(host.directory, 'layers');
	const written: string[] = [];
	for (const top of await readdir(layers)) {
		const upper = join(layers, top, 'upper');
		for (const entry of await readdir(upper, {recursive: true, withFileTypes: true})) {
			const path = join(entry.parentPath, entry.name);
			const hostPath = `/${top}${path.slice(upper.length)}`;
			const ours = !clusterData.some((data) => hostPath.startsWith(data));
			if (ours && !entry.isDirectory() && (await lstat(path)).mtimeMs > since) {
				written.push(hostPath);
			}
		}
	}

	return written;
}

/** The systemctl verbs that change something, asked for on the host since the mark (the stand-in logs every call). */
async function serviceChangesSince(lab: Lab, host: LabHost, callsBefore: number): Promise<string[]> {
	const {stdout} = await lab.exec(host, 'cat /run/lab-systemctl/calls.log 2>/dev/null || true');
	return stdout
		.split('\n')
		.slice(callsBefore)
		.filter((line) => /\b(start|stop|restart|reload|enable|disable|daemon-reload)\b/.test(line));
}

/** The moment before a removal, and how many systemctl calls each host had logged by then. */
type Mark = {readonly at: number; readonly calls: Map<string, number>};

async function mark(lab: Lab, hosts: readonly LabHost[]): Promise<Mark> {
	const calls = new Map<string, number>();
	for (const host of hosts) {
		const {stdout} = await lab.exec(host, 'cat /run/lab-systemctl/calls.log 2>/dev/null | wc -l');
		calls.set(host.name, Number(stdout.trim()));
	}

	return {at: Date.now(), calls};
}

async function assertUntouched(lab: Lab, hosts: readonly LabHost[], since: Mark): Promise<void> {
	for (const host of hosts) {
		assert.deepEqual(await filesWrittenSince(host, since.at), [], `no file written on ${host.name}`);
		assert.deepEqual(
			await serviceChangesSince(lab, host, since.calls.get(host.name) ?? 0),
			[],
			`no service started, stopped or reloaded on ${host.name}`,
		);
	}
}

test('kubeha remove-node takes a control plane, then a worker, out of a running cluster', {
	skip: availability.ok ? false : availability.reason,
}, async () => {
	const lab = await startLab({hosts: 4});
	const cluster = await labCluster(lab, stackedClusterYaml(lab, {controlPlanes: 3, workers: 1}));
	try {
		const [cp1, cp2, cp3, worker] = lab.hosts as [LabHost, LabHost, LabHost, LabHost];
		const vip = lab.address(100);
		let started = performance.now();
		await cluster.apply();
		const installSeconds = (performance.now() - started) / 1000;
		assert.deepEqual(await holdersOf(lab, vip), [cp1.name]);

		// cp3: a stacked control plane and load-balancer node that does not hold the VIP.
		let since = await mark(lab, [worker]);
		started = performance.now();
		const first = await cluster.kubeha(['remove-node', '--name', 'cp3', '--yes']);
		const firstSeconds = (performance.now() - started) / 1000;
		assert.equal(first.code, 0, `remove-node cp3:\n${first.stderr}\n${first.stdout.slice(-6000)}`);
		assert.match(first.stderr, /2 control planes will be left \(cp1 and cp2\)/);
		// The lab runs no stacked etcd (the API server stand-ins replicate their store themselves): kubeha says it could not check.
		assert.match(
			first.stderr,
			/warning etcd did not answer etcdctl on cp1 .* could not check that cp3's etcd member is gone/,
		);

		for (const host of [cp1, cp2]) {
			const config = await lab.exec(host, 'cat /etc/haproxy/haproxy.cfg');
			assert.doesNotMatch(config.stdout, /server cp3 /, `haproxy.cfg on ${host.name}`);
			assert.deepEqual(await haproxyBackends(lab, host), ['cp1 UP', 'cp2 UP'], `haproxy's own view on ${host.name}`);
		}

		assert.deepEqual(await nodeNames(lab, cp1), ['node/cp1', 'node/cp2', 'node/worker1']);
		const drained = await lab.exec(cp1, 'cat /run/lab-kube/calls.log');
		assert.match(drained.stdout, /kubectl .*drain cp3 --ignore-daemonsets --delete-emptydir-data --timeout=300s/);
		assert.equal((await lab.exec(cp3, 'pgrep -x kube-apiserver')).code, 1, 'no API server on cp3');
		for (const service of ['keepalived', 'haproxy']) {
			assert.equal((await lab.exec(cp3, `systemctl is-active ${service}`)).stdout.trim(), 'inactive', service);
			assert.equal((await lab.exec(cp3, `pgrep -x ${service}`)).code, 1, `no ${service} process on cp3`);
		}

		const leftovers = await lab.exec(
			cp3,
			'ls -A /etc/kubernetes /etc/kubernetes/pki /etc/kubernetes/manifests /etc/kubeha',
		);
		assert.doesNotMatch(leftovers.stdout, /admin\.conf|kubelet\.conf|\.crt|\.yaml/, 'kubeadm reset removed its files');
		assert.match(leftovers.stderr, /'\/etc\/kubeha': No such file/);
		assert.deepEqual(await holdersOf(lab, vip), [cp1.name]);
		assert.equal(await healthz(vip, 8443), 'ok');
		await assertUntouched(lab, [worker], since);
		assert.doesNotMatch(await cluster.kubeha(['validate']).then((result) => result.stdout), /cp3/);

		// The worker: the load balancers have nothing to forget.
		since = await mark(lab, [cp1, cp2]);
		started = performance.now();
		const second = await cluster.kubeha(['remove-node', '--name', 'worker1', '--yes']);
		const secondSeconds = (performance.now() - started) / 1000;
		assert.equal(second.code, 0, `remove-node worker1:\n${second.stderr}\n${second.stdout.slice(-6000)}`);
		assert.deepEqual(await nodeNames(lab, cp1), ['node/cp1', 'node/cp2']);
		assert.equal((await lab.exec(worker, 'ls /etc/kubernetes/kubelet.conf')).code, 2, 'kubeadm reset on the worker');
		await assertUntouched(lab, [cp1, cp2], since);
		assert.deepEqual(await haproxyBackends(lab, cp1), ['cp1 UP', 'cp2 UP']);
		assert.equal(await healthz(vip, 8443), 'ok');

		process.stdout.write(
			`install ${installSeconds.toFixed(0)} s, remove-node cp3 ${firstSeconds.toFixed(0)} s, remove-node worker1 ${secondSeconds.toFixed(0)} s\n`,
		);
	} finally {
		await lab.stop();
		cluster.remove();
	}
});

/** The first two hosts control planes with keepalived + haproxy, the next three external etcd members (Debian's etcd). */
function externalEtcdYaml(lab: Lab): string {
	const members = lab.hosts
		.slice(2)
		.map((host, index) => `  - {name: etcd${index + 1}, address: ${host.address}, roles: [etcd]}\n`);
	const controlPlanes = stackedClusterYaml(lab, {controlPlanes: 2, workers: 0});
	return controlPlanes.replace('topology: stacked', 'topology: external') + members.join('');
}

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

test('kubeha remove-node takes a member out of an external etcd cluster, with real etcd', {
	skip: etcdAvailability.ok ? false : etcdAvailability.reason,
}, async () => {
	const lab = await startLab({hosts: 5});
	const cluster = await labCluster(lab, externalEtcdYaml(lab));
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
		assert.equal(removed.code, 0, `remove-node etcd3:\n${removed.stderr}\n${removed.stdout.slice(-6000)}`);
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

		// Nothing left to do: another apply finds it all in place.
		const again = await cluster.apply();
		const endpointsStep = again.filter((event) => event.kind === 'host-end' && event['stepId'] === 'etcd-endpoints');
		assert.deepEqual(
			endpointsStep.map((event) => {
				const {status, reason = ''} = event['outcome'] as {status: string; reason?: string};
				return `${event['host']} ${status}: ${reason.split(':')[0]}`;
			}),
			['cp1 skipped: already in place', 'cp2 skipped: already in place'],
		);
		assert.deepEqual(await runningEtcdServers(lab, cp1), [remaining]);
		process.stdout.write(`remove-node etcd3 (external etcd) ${seconds.toFixed(0)} s\n`);
	} finally {
		await lab.stop();
		cluster.remove();
	}
});
