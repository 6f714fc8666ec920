// `kubeha remove-node` end to end on a 4-host lab: three control planes with keepalived + haproxy and stacked etcd,
// and a worker, installed by the built binary; then cp3 (not the VIP holder) and the worker are removed. What
// changed, and what did not, is read on the hosts: haproxy's config and admin socket, `kubectl get nodes`,
// processes and services, the VIP, files written and services touched on the hosts that needed no change.
import assert from 'node:assert/strict';
import {lstat, readdir} from 'node:fs/promises';
import {join} from 'node:path';
import {test} from 'node:test';
import {haproxyBackends, healthz, holdersOf, labCluster, stackedClusterYaml} from './cluster.ts';
import {type Lab, type LabHost, labAvailable, startLab} from './lab.ts';

const availability = labAvailable({commands: ['keepalived', 'haproxy', 'curl', 'socat']});

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
