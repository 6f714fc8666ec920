// Test fixture for the lab's kubeadm stand-in: the preflight checks of kubeadm (cmd/kubeadm/app/preflight/checks.go)
// that mean something in a lab host, with kubeadm's names and messages.
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {join} from 'node:path';
import type {ClusterConfiguration} from './kubeadm-config.ts';
import {manifestsDirectory} from './kubeadm-files.ts';
import {KubeadmError} from './kubeadm-output.ts';

type Outcome = {warnings?: string[]; errors?: string[]};
export type Check = {name: string; run: () => Outcome | Promise<Outcome>};

export const privilegedUser: Check = {
	name: 'IsPrivilegedUser',
	run: () => (process.getuid?.() === 0 ? {} : {errors: ['user is not running as root']}),
};

const pathLabel = (path: string): string => path.replaceAll('/', '-');

export const fileAvailable = (path: string): Check => ({
	name: `FileAvailable-${pathLabel(path)}`,
	run: () => (existsSync(path) ? {errors: [`${path} already exists`]} : {}),
});

const dirAvailable = (path: string): Check => ({
	name: `DirAvailable-${pathLabel(path)}`,
	run: () => (existsSync(path) && readdirSync(path).length > 0 ? {errors: [`${path} is not empty`]} : {}),
});

/** As kubeadm: listen on the port on every address, which fails when anything listens on it on any address. */
export const portOpen = (port: number): Check => ({
	name: `Port-${port}`,
	run: () =>
		new Promise<Outcome>((resolve) => {
			const server = createServer();
			server.once('error', () => resolve({errors: [`Port ${port} is in use`]}));
			server.listen({port, host: '0.0.0.0', exclusive: true}, () => server.close(() => resolve({})));
		}),
});

const ipv4Forward = '/proc/sys/net/ipv4/ip_forward';

/** Per network namespace, so each lab host has its own value (set it with sysctl, as on a server). */
export const ipv4ForwardCheck: Check = {
	name: `FileContent-${pathLabel(ipv4Forward)}`,
	run: () => {
		if (!existsSync(ipv4Forward)) return {errors: [`${ipv4Forward} does not exist`]};
		return readFileSync(ipv4Forward, 'utf8').startsWith('1')
			? {}
			: {errors: [`${ipv4Forward} contents are not set to 1`]};
	},
};

/** Only a warning since kubeadm 1.28 (the kubelet still refuses swap unless configured for it). */
export const swapCheck: Check = {
	name: 'Swap',
	run: () => {
		const swaps = existsSync('/proc/swaps') ? readFileSync('/proc/swaps', 'utf8').trim().split('\n').slice(1) : [];
		return swaps.length > 0
			? {
					warnings: [
						'swap is enabled; production deployments should disable swap unless testing the NodeSwap feature gate',
					],
				}
			: {};
	},
};

const staticPodManifest = (name: string): string => join(manifestsDirectory, `${name}.yaml`);

/** The ports and files of InitNodeChecks that a lab host can have (init, and a joining control plane). */
export function controlPlaneChecks(cluster: ClusterConfiguration, bindPort: number): Check[] {
	const local = cluster.etcd.local;
	return [
		portOpen(bindPort),
		portOpen(10259),
		portOpen(10257),
		...['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'].map((name) =>
			fileAvailable(staticPodManifest(name)),
		),
		...(local === undefined ? [] : [portOpen(2379), portOpen(2380), dirAvailable(local.dataDir)]),
	];
}

/**
Runs the checks, printing warnings as kubeadm does; errors of checks named in `ignored` (case-insensitive, or
"all") become warnings. Throws kubeadm's preflight error when any error remains.
*/
export async function runChecks(
	checks: readonly Check[],
	ignored: readonly string[],
	announcement = '[preflight] Running pre-flight checks',
): Promise<void> {
	process.stdout.write(`${announcement}\n`);
	const ignore = new Set(ignored.map((name) => name.toLowerCase()));
	const errors: string[] = [];
	for (const check of checks) {
		const outcome = await check.run();
		const demoted = ignore.has('all') || ignore.has(check.name.toLowerCase());
		for (const warning of [...(outcome.warnings ?? []), ...(demoted ? (outcome.errors ?? []) : [])]) {
			process.stderr.write(`\t[WARNING ${check.name}]: ${warning}\n`);
		}
		if (!demoted) errors.push(...(outcome.errors ?? []).map((error) => `\t[ERROR ${check.name}]: ${error}\n`));
	}
	if (errors.length > 0) {
		process.stderr.write(
			`[preflight] Some fatal errors occurred:\n${errors.join('')}[preflight] If you know what you are doing, you can make a check non-fatal with \`--ignore-preflight-errors=...\`\n`,
		);
		throw new KubeadmError('preflight checks failed', 'preflight');
	}
}
