// Test fixture: kubeha run against a lab as an operator runs it (the built binary, over real ssh), and the checks
// that read the result on the hosts themselves (the VIP, haproxy's own view), not in kubeha's words.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {repositoryRoot} from '../helpers/cli.ts';
import {type ArtifactServer, startArtifactServer} from './artifact-fixtures.ts';
import type {Lab, LabHost} from './lab.ts';

const run = promisify(execFile);

/** Long enough for a whole install on a busy 2-core machine; a hung run still ends the test. */
export const kubehaTimeoutMs = 10 * 60_000;

export type KubehaResult = {readonly code: number; readonly stdout: string; readonly stderr: string};

/** A cluster.yaml in a directory of its own (its .kubeha state beside it), and kubeha run on it. */
export type LabCluster = {
	readonly directory: string;
	readonly clusterFile: string;
	/** `kubeha <args…>` with `-c cluster.yaml` and the lab's known_hosts added for the commands that use ssh. */
	readonly kubeha: (args: readonly string[], options?: {readonly env?: NodeJS.ProcessEnv}) => Promise<KubehaResult>;
	/** `kubeha apply --yes --output json`, which must end done; returns its events. */
	readonly apply: (extra?: readonly string[]) => Promise<RunEventLine[]>;
	/** The lab's mirror of the release files the spec pins (its components section). */
	readonly artifacts: ArtifactServer;
	readonly remove: () => void;
};

/** One line of `--output json`. */
export type RunEventLine = {readonly kind: string; readonly status?: string; readonly [key: string]: unknown};

/** The events of `--output json`, one JSON object a line. */
export const eventsOf = (stdout: string): RunEventLine[] =>
	stdout
		.split('\n')
		.filter((line) => line.startsWith('{'))
		.map((line) => JSON.parse(line) as RunEventLine);

/** Commands that reach the hosts take `--ssh-option`. */
const sshCommands = new Set(['apply', 'add-node', 'remove-node', 'status', 'drill', 'backup', 'restore', 'certs']);

/**
Writes the spec and makes the hosts ready for an install that cannot reach the internet: the release files come
from the lab's artifact server, which the spec's components section names (added unless the spec has one).
*/
export async function labCluster(lab: Lab, yaml: string): Promise<LabCluster> {
	const directory = mkdtempSync(join(tmpdir(), 'kubeha-lab-cluster-'));
	const clusterFile = join(directory, 'cluster.yaml');
	const artifacts = await startArtifactServer(lab);
	writeFileSync(clusterFile, /^components:/m.test(yaml) ? yaml : `${yaml}${artifacts.componentsYaml()}`);
	// The lab has no way out: the pkgs.k8s.io key is in place, so the prerequisites never try to download it.
	for (const host of lab.hosts) {
		await lab.writeFile(host, '/etc/apt/keyrings/kubernetes-apt-keyring.gpg', 'stand-in key for the apt stand-in\n');
	}

	const kubeha: LabCluster['kubeha'] = async (args, options = {}) => {
		const [command = ''] = args;
		const argv = [
			join(repositoryRoot, 'bin/kubeha.js'),
			...args,
			'-c',
			clusterFile,
			...(sshCommands.has(command) ? ['--ssh-option', `UserKnownHostsFile=${lab.knownHostsFile}`] : []),
		];
		try {
			const {stdout, stderr} = await run(process.execPath, argv, {
				timeout: kubehaTimeoutMs,
				maxBuffer: 64 * 1024 * 1024,
				env: {...process.env, NO_COLOR: '1', ...options.env},
			});
			return {code: 0, stdout, stderr};
		} catch (error) {
			const failed = error as {code?: unknown; stdout?: string; stderr?: string};
			if (typeof failed.code !== 'number') throw error;
			return {code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? ''};
		}
	};

	return {
		directory,
		clusterFile,
		kubeha,
		async apply(extra = []) {
			const result = await kubeha(['apply', '--yes', '--output', 'json', ...extra]);
			const events = eventsOf(result.stdout);
			const runEnd = events.find((event) => event.kind === 'run-end');
			assert.equal(
				runEnd?.status,
				'done',
				`kubeha apply did not finish:\n${result.stderr}\n${result.stdout.slice(-4000)}`,
			);
			return events;
		},
		artifacts,
		remove: () => {
			void artifacts.stop();
			rmSync(directory, {recursive: true, force: true});
		},
	};
}

/** The hosts that have the address on their lab interface, as `ip address` on each says. */
export async function holdersOf(lab: Lab, address: string): Promise<string[]> {
	const holders = [];
	for (const host of lab.hosts) {
		const addresses = await lab.exec(host, `ip -4 -o address show dev ${host.interface}`);
		if (addresses.stdout.includes(` ${address}/`)) holders.push(host.name);
	}

	return holders;
}

/** `<server> <status>` of each apiserver backend, from haproxy's admin socket on the host. */
export async function haproxyBackends(lab: Lab, host: LabHost): Promise<string[]> {
	const stat = await lab.exec(host, "echo 'show stat' | socat stdio unix-connect:/run/haproxy/admin.sock");
	return stat.stdout
		.split('\n')
		.map((line) => line.split(','))
		.filter(([proxy, server]) => proxy === 'kube-apiserver' && server !== 'FRONTEND' && server !== 'BACKEND')
		.map((fields) => `${fields[1]} ${fields[17]}`);
}

/** The body of GET /healthz at the address, or the failure. */
export async function healthz(address: string, port: number): Promise<string> {
	const {stdout} = await run('curl', ['-fsS', '--insecure', '--max-time', '5', `https://${address}:${port}/healthz`]);
	return stdout;
}

/**
A cluster.yaml for the lab's hosts: the first `controlPlanes` hosts are control planes and load-balancer nodes
(priority 120, 110, …), the next `workers` hosts workers; keepalived and haproxy as services, stacked etcd.
*/
export function stackedClusterYaml(lab: Lab, shape: {controlPlanes: number; workers: number}): string {
	const nodes = lab.hosts.slice(0, shape.controlPlanes + shape.workers);
	assert.equal(nodes.length, shape.controlPlanes + shape.workers, 'the lab has too few hosts for the cluster');
	const lines = nodes.map((host, index) =>
		index < shape.controlPlanes
			? `  - {name: cp${index + 1}, address: ${host.address}, roles: [control-plane, load-balancer], priority: ${120 - 10 * index}}`
			: `  - {name: worker${index - shape.controlPlanes + 1}, address: ${host.address}, roles: [worker]}`,
	);
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
  interface: ${nodes[0]?.interface}
ssh:
  identityFile: ${lab.identityFile}
nodes:
${lines.join('\n')}
`;
}

/** Two control planes with keepalived + haproxy on the first two hosts, every other host an external etcd member. */
export function externalEtcdClusterYaml(lab: Lab): string {
	const members = lab.hosts
		.slice(2)
		.map((host, index) => `  - {name: etcd${index + 1}, address: ${host.address}, roles: [etcd]}\n`);
	const controlPlanes = stackedClusterYaml(lab, {controlPlanes: 2, workers: 0});
	return controlPlanes.replace('topology: stacked', 'topology: external') + members.join('');
}
