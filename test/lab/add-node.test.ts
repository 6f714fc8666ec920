// `kubeha add-node` end to end on a 5-host lab: three control planes (keepalived with unicast peers, haproxy,
// stacked etcd) installed, then a worker added (nothing else touched), then a fourth control plane added after the
// uploaded certificates expired while a client keeps asking the API through the VIP (no request fails), then a
// file changed by hand on a node (drift: shown, stopped on, overwritten). Checked on the hosts, not in kubeha's words.
import assert from 'node:assert/strict';
import {request} from 'node:https';
import {test} from 'node:test';
import {haproxyBackends, holdersOf, type KubehaResult, labCluster, stackedClusterYaml} from './cluster.ts';
import {changesBetween, type HostState, stateOf} from './host-state.ts';
import {type Lab, type LabHost, labAvailable, startLab} from './lab.ts';

const availability = labAvailable({commands: ['keepalived', 'haproxy', 'curl', 'socat']});

/** The lab's hosts by role in this scenario; a lab with fewer hosts is a bug in the test. */
function hostsOf(lab: Lab): {controlPlanes: LabHost[]; worker: LabHost; fourth: LabHost} {
	const [cp1, cp2, cp3, worker, fourth] = lab.hosts;
	assert.ok(cp1 && cp2 && cp3 && worker && fourth, 'the lab has 5 hosts');
	return {controlPlanes: [cp1, cp2, cp3], worker, fourth};
}

const succeeded = (what: string, result: KubehaResult) =>
	assert.equal(result.code, 0, `${what} failed:\n${result.stderr}\n${result.stdout.slice(-6000)}`);

/** GET /healthz through the VIP on a new connection each time, until stopped: how many answered, how many failed. */
function healthzLoop(address: string, port: number) {
	let running = true;
	const failures: string[] = [];
	let answered = 0;
	const started = performance.now();
	const once = () =>
		new Promise<void>((resolve) => {
			const call = request(
				{host: address, port, path: '/healthz', rejectUnauthorized: false, agent: false, timeout: 5000},
				(response) => {
					let body = '';
					response.on('data', (chunk: Buffer) => {
						body += chunk.toString();
					});
					response.on('end', () => {
						if (response.statusCode === 200 && body === 'ok') answered++;
						else failures.push(`HTTP ${response.statusCode}: ${body.slice(0, 200)}`);
						resolve();
					});
				},
			);
			call.on('timeout', () => call.destroy(new Error('no answer within 5 s')));
			call.on('error', (error) => {
				failures.push(error.message);
				resolve();
			});
			call.end();
		});
	const loop = (async () => {
		while (running) {
			await once();
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
	})();
	return {
		async stop() {
			running = false;
			await loop;
			return {answered, failures, seconds: (performance.now() - started) / 1000};
		},
	};
}

/** Polls until `check` holds (bounded), for what settles a moment after a command returns (haproxy's checks). */
async function eventually(what: string, check: () => Promise<boolean>, seconds = 30): Promise<void> {
	for (let tries = 0; tries < seconds * 2; tries++) {
		if (await check()) return;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	assert.fail(`${what}: still not so after ${seconds} s`);
}

const kubectl = 'kubectl --kubeconfig /etc/kubernetes/admin.conf';
const elapsed = (since: number) => `${((performance.now() - since) / 1000).toFixed(0)} s`;

test('kubeha add-node adds a worker and a control plane, touching only what must change; drift is caught', {
	skip: availability.ok ? false : availability.reason,
}, async () => {
	const lab = await startLab({hosts: 5});
	// Unicast VRRP: adding a load-balancer node changes keepalived.conf on the others (a new peer), so the
	// reload that must keep the VIP in place is exercised too.
	const yaml = stackedClusterYaml(lab, {controlPlanes: 3, workers: 0}).replace(
		'  mode: keepalived-haproxy\n',
		'  mode: keepalived-haproxy\n  unicast: true\n',
	);
	const cluster = await labCluster(lab, yaml);
	const {controlPlanes, worker, fourth} = hostsOf(lab);
	const vip = lab.address(100);
	try {
		let since = performance.now();
		await cluster.apply();
		console.log(`install of 3 control planes: ${elapsed(since)}`);

		// A worker: it joins; the control planes get no file and no (re)start, and only cp1 is asked for a token.
		const beforeWorker = await Promise.all(controlPlanes.map((host) => stateOf(lab, host)));
		since = performance.now();
		const workerAdded = await cluster.kubeha([
			'add-node',
			'--name',
			'worker1',
			'--address',
			worker.address,
			'--role',
			'worker',
			'--yes',
		]);
		succeeded('kubeha add-node worker1', workerAdded);
		console.log(`add-node worker1: ${elapsed(since)}`);
		assert.match(
			workerAdded.stdout,
			/^cp1: unchanged \(\d+ files\)$/m,
			'the plan says the control planes do not change',
		);
		assert.match(workerAdded.stdout, /^worker1: \d+ new, 0 unchanged$/m);
		assert.equal((await lab.exec(worker, 'test -s /etc/kubernetes/kubelet.conf')).code, 0, 'worker1 has kubelet.conf');
		assert.equal((await lab.exec(worker, 'systemctl is-enabled kubelet')).stdout.trim(), 'enabled');
		const nodes = await lab.exec(controlPlanes[0] as LabHost, `${kubectl} get nodes -o name`);
		assert.match(nodes.stdout, /^node\/worker1$/m, 'worker1 is registered with the cluster');
		for (const [index, host] of controlPlanes.entries()) {
			const changes = changesBetween(beforeWorker[index] as HostState, await stateOf(lab, host));
			assert.deepEqual(
				{...changes, calls: changes.calls.filter((call) => !(index === 0 && /^kubeadm token /.test(call)))},
				{files: [], restarted: [], calls: []},
				`${host.name} was left alone (cp1 renewed the bootstrap token)`,
			);
		}

		// The certificates kubeadm init uploaded expire after 2 h: move every host's clock past that.
		for (const host of lab.hosts) {
			await lab.exec(host, 'mkdir -p /run/lab-kube && echo 7500 > /run/lab-kube/clock-offset-seconds');
		}
		const certs = await lab.exec(
			controlPlanes[0] as LabHost,
			`${kubectl} get --raw /api/v1/namespaces/kube-system/secrets/kubeadm-certs`,
		);
		assert.notEqual(certs.code, 0, `the uploaded certificates have expired: ${certs.stdout}${certs.stderr}`);

		// A fourth control plane (and load balancer) while a client keeps asking through the VIP.
		const beforeFourth = await Promise.all([...controlPlanes, worker].map((host) => stateOf(lab, host)));
		const loop = healthzLoop(vip, 8443);
		since = performance.now();
		const cp4Added = await cluster.kubeha([
			'add-node',
			'--name',
			'cp4',
			'--address',
			fourth.address,
			'--role',
			'control-plane',
			'--role',
			'load-balancer',
			'--yes',
		]);
		const during = await loop.stop();
		console.log(
			`add-node cp4: ${elapsed(since)}; /healthz through the VIP during it: ${during.answered} answered, ${during.failures.length} failed in ${during.seconds.toFixed(1)} s`,
		);
		succeeded('kubeha add-node cp4', cp4Added);
		assert.deepEqual(during.failures, [], 'no request through the VIP failed');
		assert.ok(during.answered > 20, `the client kept asking (${during.answered} answers)`);
		assert.match(
			cp4Added.stderr,
			/adding cp4 makes the cluster weaker in these ways:\n.*4 control planes with stacked etcd/,
		);
		assert.match(cp4Added.stdout, /cp4 gets keepalived priority 90, below every other load-balancer node/);
		assert.deepEqual(await holdersOf(lab, vip), ['lab-h1'], 'the VIP stayed on cp1');
		for (const host of [...controlPlanes, fourth]) {
			const config = await lab.exec(host, 'cat /etc/haproxy/haproxy.cfg');
			assert.match(
				config.stdout,
				new RegExp(`^ {4}server cp4 ${fourth.address.replaceAll('.', '\\.')}:6443 check`, 'm'),
			);
			await eventually(`haproxy on ${host.name} reports cp4 UP`, async () =>
				(await haproxyBackends(lab, host)).includes('cp4 UP'),
			);
		}
		const balancerFiles = ['/etc/haproxy/haproxy.cfg', '/etc/keepalived/keepalived.conf'].flatMap((path) => [
			path,
			`${path}.kubeha-previous`,
		]);
		for (const [index, host] of controlPlanes.entries()) {
			const changes = changesBetween(beforeFourth[index] as HostState, await stateOf(lab, host));
			assert.deepEqual(
				changes.files,
				[
					...balancerFiles,
					...(index === 0 ? ['/etc/kubeha/kubeadm-init.yaml', '/etc/kubeha/kubeadm-init.yaml.kubeha-previous'] : []),
				].sort(),
				`${host.name}: the new backend and unicast peer (cp1: the new name in certSANs)`,
			);
			assert.deepEqual(changes.restarted, [], `${host.name}: no service restarted`);
			assert.deepEqual(
				changes.calls.filter((call) => call.startsWith('systemctl ')),
				[
					'systemctl enable haproxy',
					'systemctl reload haproxy',
					'systemctl enable keepalived',
					'systemctl reload keepalived',
				],
				`${host.name}: haproxy and keepalived reloaded, not restarted`,
			);
		}
		assert.deepEqual(
			changesBetween(beforeFourth[3] as HostState, await stateOf(lab, worker)),
			{files: [], restarted: [], calls: []},
			'worker1 was left alone',
		);

		// Drift: haproxy.cfg changed by hand on cp2.
		const cp2 = controlPlanes[1] as LabHost;
		const applied = (await lab.exec(cp2, 'cat /etc/haproxy/haproxy.cfg')).stdout;
		await lab.exec(cp2, "sed -i 's/timeout client 30s/timeout client 45s/' /etc/haproxy/haproxy.cfg");
		const dryRun = await cluster.kubeha(['apply', '--dry-run']);
		succeeded('kubeha apply --dry-run', dryRun);
		assert.match(dryRun.stdout, /^ {2}DRIFT: \/etc\/haproxy\/haproxy\.cfg on cp2 is not what kubeha last applied/m);
		assert.match(dryRun.stdout, /^- {4}timeout client 30s\n\+ {4}timeout client 45s$/m);
		assert.match(dryRun.stdout, /^cp1: unchanged/m);
		const stopped = await cluster.kubeha(['apply', '--yes']);
		assert.equal(stopped.code, 1, `kubeha apply --yes stops on drift:\n${stopped.stdout.slice(-3000)}`);
		assert.match(
			stopped.stdout,
			/^kubeha stopped before changing anything: cp2:\/etc\/haproxy\/haproxy\.cfg changed on the host since kubeha last applied it/m,
		);
		assert.match((await lab.exec(cp2, 'cat /etc/haproxy/haproxy.cfg')).stdout, /timeout client 45s/, 'still as edited');
		since = performance.now();
		succeeded('kubeha apply --yes --overwrite-drift', await cluster.kubeha(['apply', '--yes', '--overwrite-drift']));
		console.log(`apply --overwrite-drift: ${elapsed(since)}`);
		assert.equal((await lab.exec(cp2, 'cat /etc/haproxy/haproxy.cfg')).stdout, applied, 'the applied copy is back');
	} finally {
		await lab.stop();
		cluster.remove();
	}
});
