// `kubeha apply` end to end on a 5-host lab: the built binary installs three control planes with keepalived + haproxy
// (systemd) and stacked etcd, and two workers, over real ssh; the result is checked on the hosts, not in kubeha's words.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {promisify} from 'node:util';
import {repositoryRoot} from '../helpers/cli.ts';
import {type Lab, labAvailable, startLab} from './lab.ts';

const run = promisify(execFile);
const availability = labAvailable({commands: ['keepalived', 'haproxy', 'curl', 'socat']});
const applyTimeoutMs = 10 * 60_000;

function clusterYaml(lab: Lab): string {
	const [cp1, cp2, cp3, worker1, worker2] = lab.hosts;
	if (!cp1 || !cp2 || !cp3 || !worker1 || !worker2) throw new Error('the scenario needs 5 lab hosts');
	return `apiVersion: kubeha/v1alpha1
kind: Cluster
name: lab
kubernetes:
  version: 1.37.1
  cni: none
etcd:
  topology: stacked
loadBalancer:
  mode: keepalived-haproxy
  deploy: systemd
  vip: ${lab.address(100)}/24
  interface: ${cp1.interface}
ssh:
  identityFile: ${lab.identityFile}
nodes:
  - {name: cp1, address: ${cp1.address}, roles: [control-plane, load-balancer], priority: 120}
  - {name: cp2, address: ${cp2.address}, roles: [control-plane, load-balancer], priority: 110}
  - {name: cp3, address: ${cp3.address}, roles: [control-plane, load-balancer], priority: 100}
  - {name: worker1, address: ${worker1.address}, roles: [worker]}
  - {name: worker2, address: ${worker2.address}, roles: [worker]}
`;
}

/** The events of `--output json`, one JSON object a line. */
const eventsOf = (stdout: string): {kind: string; status?: string}[] =>
	stdout
		.split('\n')
		.filter((line) => line.startsWith('{'))
		.map((line) => JSON.parse(line) as {kind: string; status?: string});

test('kubeha apply installs an HA cluster on the lab', {
	skip: availability.ok ? false : availability.reason,
}, async () => {
	const lab = await startLab({hosts: 5});
	const directory = mkdtempSync(join(tmpdir(), 'kubeha-apply-'));
	try {
		const clusterFile = join(directory, 'cluster.yaml');
		writeFileSync(clusterFile, clusterYaml(lab));
		// The lab has no way out: the pkgs.k8s.io key is in place, so the prerequisites never try to download it.
		for (const host of lab.hosts) {
			await lab.writeFile(host, '/etc/apt/keyrings/kubernetes-apt-keyring.gpg', 'stand-in key for the apt stand-in\n');
		}
		const apply = await run(
			process.execPath,
			[
				join(repositoryRoot, 'bin/kubeha.js'),
				'apply',
				'-c',
				clusterFile,
				'--yes',
				'--output',
				'json',
				'--ssh-option',
				`UserKnownHostsFile=${lab.knownHostsFile}`,
			],
			{timeout: applyTimeoutMs, maxBuffer: 64 * 1024 * 1024, env: {...process.env, NO_COLOR: '1'}},
		);
		const runEnd = eventsOf(apply.stdout).find((event) => event.kind === 'run-end');
		assert.equal(runEnd?.status, 'done', apply.stderr);

		const vip = lab.address(100);
		const holders = [];
		for (const host of lab.hosts) {
			const addresses = await lab.exec(host, `ip -4 -o address show dev ${host.interface}`);
			if (addresses.stdout.includes(` ${vip}/`)) holders.push(host.name);
		}
		assert.deepEqual(holders, [lab.hosts[0]?.name], 'the VIP is on cp1 (highest priority) only');

		const health = await run('curl', ['-fsS', '--insecure', '--max-time', '5', `https://${vip}:8443/healthz`]);
		assert.equal(health.stdout, 'ok');

		for (const host of lab.hosts.slice(0, 3)) {
			const stat = await lab.exec(host, "echo 'show stat' | socat stdio unix-connect:/run/haproxy/admin.sock");
			const backends = stat.stdout
				.split('\n')
				.map((line) => line.split(','))
				.filter(([proxy, server]) => proxy === 'kube-apiserver' && server?.startsWith('cp'))
				.map((fields) => `${fields[1]} ${fields[17]}`);
			assert.deepEqual(backends, ['cp1 UP', 'cp2 UP', 'cp3 UP'], `haproxy on ${host.name}`);
		}
	} finally {
		await lab.stop();
		rmSync(directory, {recursive: true, force: true});
	}
});
