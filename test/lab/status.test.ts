// `kubeha status` on a 3-host lab cluster (three control planes with keepalived + haproxy, stacked etcd), run as the
// built binary over real ssh: healthy, then an API server down, then keepalived stopped on the VIP holder. What it
// says is compared with the hosts themselves (ip address, haproxy's socket). The lab runs no stacked etcd (see
// stand-ins/README.md): status reports etcd as unknown there, which the etcd rules' unit tests cover instead.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {request} from 'node:https';
import {join} from 'node:path';
import {test} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import {colocatedLoadBalancerPort} from '../../source/spec/defaults.ts';
import type {Problem} from '../../source/status/types.ts';
import {haproxyBackends, holdersOf, type LabCluster, labCluster, stackedClusterYaml} from './cluster.ts';
import {type Lab, type LabHost, labAvailable, startLab} from './lab.ts';
import {clockOffsetFile} from './stand-ins/lib/kube-clock.ts';

const availability = labAvailable({commands: ['keepalived', 'haproxy', 'curl', 'socat']});

/** The parts of `kubeha status --json` the scenario reads. */
type StatusJson = {
	healthy: boolean;
	problems: Problem[];
	vip: {address: string; heldBy: string[]};
	hosts: {
		node: string;
		loadBalancer?: {haproxy: {backends: {server: string; status: string}[]}};
		etcd?: {answered: boolean};
		certificates?: {answered: boolean; earliest?: {name: string; residual: string}};
	}[];
	kubernetes: {answered: boolean; nodes?: {name: string; ready: string}[]; leases?: {holderIdentity?: string}[]};
};

async function status(cluster: LabCluster): Promise<{code: number; json: StatusJson}> {
	const result = await cluster.kubeha(['status', '--json']);
	assert.ok(result.stdout.startsWith('{'), `kubeha status --json printed no JSON:\n${result.stderr}\n${result.stdout}`);
	return {code: result.code, json: JSON.parse(result.stdout) as StatusJson};
}

/** Waits (up to 30 s) until `check` holds, as the hosts see it. */
async function until(what: string, check: () => Promise<boolean>): Promise<void> {
	for (let attempt = 0; attempt < 60; attempt++) {
		if (await check()) {
			return;
		}

		await sleep(500);
	}

	assert.fail(`${what} did not happen within 30 s`);
}

/** `server status` of every backend in haproxy on each load-balancer node, from kubeha's JSON. */
const backendsIn = (json: StatusJson) =>
	json.hosts.map((host) => host.loadBalancer?.haproxy.backends.map((backend) => `${backend.server} ${backend.status}`));

const headlines = (json: StatusJson) => json.problems.map((problem) => [problem.node, problem.what]);

/** Runs a command over ssh that must succeed (taking a piece of the cluster down). */
async function onHost(lab: Lab, host: LabHost, command: string): Promise<void> {
	const result = await lab.ssh(host, command);
	assert.equal(result.code, 0, `${command} on ${host.name} failed:\n${result.stderr}`);
}

/** One GET /healthz on a new connection, as a client of the VIP makes it; true when it answered 200 ok. */
function healthzOnce(address: string, port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const call = request(
			{host: address, port, path: '/healthz', rejectUnauthorized: false, agent: false, timeout: 2000},
			(response) => {
				let body = '';
				response.on('data', (chunk) => {
					body += chunk;
				});
				response.on('end', () => resolve(response.statusCode === 200 && body === 'ok'));
			},
		);
		call.on('timeout', () => call.destroy(new Error('timed out')));
		call.on('error', () => resolve(false));
		call.end();
	});
}

/** A client looping on /healthz every 100 ms until stopped; resolves to how many requests were made and failed. */
function healthzLoop(address: string, port: number): {stop: () => Promise<{requests: number; failed: number}>} {
	let running = true;
	const counts = {requests: 0, failed: 0};
	const loop = (async () => {
		while (running) {
			const started = Date.now();
			counts.requests++;
			if (!(await healthzOnce(address, port))) counts.failed++;
			await sleep(Math.max(0, 100 - (Date.now() - started)));
		}
	})();
	return {
		stop: async () => {
			running = false;
			await loop;
			return counts;
		},
	};
}

async function backendsOnHosts(lab: Lab): Promise<string[][]> {
	return Promise.all(lab.hosts.map(async (host) => haproxyBackends(lab, host)));
}

test('kubeha status tells a healthy lab cluster from a degraded one, as the hosts show it', {
	skip: availability.ok ? false : availability.reason,
}, async () => {
	const lab = await startLab({hosts: 3});
	const cluster = await labCluster(lab, stackedClusterYaml(lab, {controlPlanes: 3, workers: 0}));
	const [cp1, , cp3] = lab.hosts;
	assert.ok(cp1 && cp3);
	const vip = lab.address(100);
	try {
		await cluster.apply();

		// Healthy: exit 0, the VIP on cp1, every backend UP, nodes Ready, leaders elected.
		const healthy = await status(cluster);
		assert.deepEqual(headlines(healthy.json), []);
		assert.equal(healthy.code, 0);
		assert.deepEqual(healthy.json.vip, {address: vip, heldBy: ['cp1']});
		assert.deepEqual(await holdersOf(lab, vip), [cp1.name], 'the hosts agree: cp1 holds the VIP');
		assert.deepEqual(backendsIn(healthy.json), Array(3).fill(['cp1 UP', 'cp2 UP', 'cp3 UP']));
		assert.deepEqual(backendsIn(healthy.json), await backendsOnHosts(lab), 'haproxy on the hosts agrees');
		assert.deepEqual(
			healthy.json.kubernetes.nodes?.map((node) => `${node.name} ${node.ready}`),
			['cp1 True', 'cp2 True', 'cp3 True'],
		);
		assert.equal(healthy.json.kubernetes.leases?.length, 2);
		assert.ok(healthy.json.kubernetes.leases?.every((lease) => lease.holderIdentity?.startsWith('lab-h')));
		// No etcd runs for a stacked cluster in the lab: not answering, and not called down.
		assert.deepEqual(
			healthy.json.hosts.map((host) => host.etcd?.answered),
			[false, false, false],
		);

		// 360 days later on every host: kubeadm's certificates have 5 days left (4d by kubeadm's rounding): degraded.
		for (const host of lab.hosts) await lab.writeFile(host, clockOffsetFile, `${360 * 24 * 3600}\n`);
		const expiring = await status(cluster);
		assert.equal(expiring.code, 1);
		assert.deepEqual(
			headlines(expiring.json).map(([node, what]) => [node, what?.replace(/: .*/, '')]),
			['cp1', 'cp2', 'cp3'].map((node) => [node, `certificates on ${node} expire soon`]),
		);
		assert.match(expiring.json.problems[0]?.fix ?? '', /kubeha certs renew -c cluster\.yaml/);
		assert.deepEqual(
			expiring.json.hosts.map((host) => host.certificates?.earliest?.residual),
			['4d', '4d', '4d'],
		);

		// kubeha certs renew, while a client loops on /healthz through the VIP every 100 ms.
		const client = healthzLoop(vip, colocatedLoadBalancerPort);
		const renewStarted = Date.now();
		const renewal = await cluster.kubeha(['certs', 'renew', '--yes']);
		const renewSeconds = (Date.now() - renewStarted) / 1000;
		const {requests, failed} = await client.stop();
		assert.equal(renewal.code, 0, `kubeha certs renew failed:\n${renewal.stderr}\n${renewal.stdout.slice(-4000)}`);
		process.stdout.write(
			`# certs renew: ${renewSeconds.toFixed(1)} s, ${requests} requests to /healthz through the VIP, ${failed} failed\n`,
		);
		assert.equal(failed, 0, `${failed} of ${requests} requests through the VIP failed during the renewal`);
		const renewed = await status(cluster);
		assert.deepEqual(headlines(renewed.json), []);
		assert.equal(renewed.code, 0);
		assert.deepEqual(
			renewed.json.hosts.map((host) => host.certificates?.earliest?.residual),
			['364d', '364d', '364d'],
		);
		// The kubeconfig kubeha keeps is the renewed one.
		const adminConf = (await lab.exec(cp1, 'cat /etc/kubernetes/admin.conf')).stdout;
		const clientCertificate = (text: string) => /client-certificate-data: (\S+)/.exec(text)?.[1];
		assert.equal(
			clientCertificate(readFileSync(join(cluster.directory, '.kubeha', 'admin.conf'), 'utf8')),
			clientCertificate(adminConf),
		);

		// The API server on cp3 stopped: haproxy marks it DOWN everywhere; degraded.
		await onHost(lab, cp3, 'kill -TERM "$(cat /run/lab-kube/kube-apiserver.pid)"');
		await until('cp3 DOWN in every haproxy', async () =>
			(await backendsOnHosts(lab)).every((backends) => backends.includes('cp3 DOWN')),
		);
		const backendDown = await status(cluster);
		assert.equal(backendDown.code, 1);
		assert.deepEqual(headlines(backendDown.json), [
			['cp3', 'API server cp3 is DOWN in haproxy on cp1, cp2, cp3'],
			['cp3', 'the API server on cp3 is unhealthy'],
		]);
		assert.deepEqual(backendsIn(backendDown.json), await backendsOnHosts(lab));

		// keepalived stopped on cp1: the VIP moves to cp2, where VRRP now puts it; cp1's keepalived is the problem.
		await onHost(lab, cp1, 'systemctl stop keepalived');
		await until('the VIP on cp2 alone', async () => (await holdersOf(lab, vip)).join() === lab.hosts[1]?.name);
		const vipMoved = await status(cluster);
		assert.equal(vipMoved.code, 1);
		assert.deepEqual(vipMoved.json.vip.heldBy, ['cp2']);
		assert.deepEqual(headlines(vipMoved.json), [
			['cp1', 'keepalived is not running on cp1'],
			['cp3', 'API server cp3 is DOWN in haproxy on cp1, cp2, cp3'],
			['cp3', 'the API server on cp3 is unhealthy'],
		]);
		assert.equal(
			vipMoved.json.problems[0]?.why,
			'no keepalived process runs there, so cp1 cannot hold the VIP; the VIP is on cp2 instead of here (priority 120)',
		);
	} finally {
		await lab.stop();
		cluster.remove();
	}
});
