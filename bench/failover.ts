// Failover benchmark: `kubeha drill` on a 3-host lab (three control planes with keepalived + haproxy, stacked
// etcd), with kubeha's generated keepalived/haproxy settings and with the kubeadm HA guide's, each fault several
// times; prints the medians side by side. The two configurations take turns fault by fault, so that both meet
// the machine in the same state (other work on it slows probes and checks alike). Figures are printed, never
// asserted.
import {setTimeout as delay} from 'node:timers/promises';
import type {DrillReport, MedianFigures} from '../source/drill/report.ts';
import {haproxyBackends, holdersOf, type LabCluster, labCluster, stackedClusterYaml} from '../test/lab/cluster.ts';
import {type Lab, type LabHost, labAvailable, startLab} from '../test/lab/lab.ts';
import {guideCheckScript, guideHaproxy, guideKeepalived} from './failover-guide.ts';

const runs = 5;
const loadBalancerPort = 8443;
const apiServerPort = 6443;

/** The faults, in the order they run, with the target for kubeha and what the guide was expected to do. */
const faults = [
	{fault: 'haproxy', title: 'haproxy dead on the holder', target: '≤ 3 s (guide ~30 s)'},
	{fault: 'node', title: 'holder off the network', target: '≤ 4 s (guide ~12 s)'},
	{fault: 'apiserver', title: 'API server dead on the holder', target: 'no failed request'},
	{fault: 'keepalived', title: 'keepalived stopped (graceful)', target: '≤ 1 s'},
] as const;

type FaultName = (typeof faults)[number]['fault'];
type Measured = MedianFigures & {readonly problems: readonly string[]};
type Configuration = Record<FaultName, Measured>;

/** The files that make a configuration, per host: path → content and mode. */
type HostFiles = ReadonlyMap<string, {readonly content: string; readonly mode: number}>;

const keepalivedConf = '/etc/keepalived/keepalived.conf';
const checkScript = '/etc/keepalived/check_apiserver.sh';
const haproxyCfg = '/etc/haproxy/haproxy.cfg';
const modes = new Map([
	[keepalivedConf, 0o600],
	[checkScript, 0o755],
	[haproxyCfg, 0o644],
]);

/** The three files as kubeha's install left them on the host. */
async function filesOn(lab: Lab, host: LabHost): Promise<HostFiles> {
	const files = new Map<string, {content: string; mode: number}>();
	for (const [path, mode] of modes) {
		files.set(path, {content: (await lab.exec(host, `cat ${path}`)).stdout, mode});
	}

	return files;
}

/** The same files as the guide has them, keeping the cluster's router id and VRRP password. */
function guideFiles(lab: Lab, host: LabHost, index: number, kubeha: HostFiles): HostFiles {
	const current = kubeha.get(keepalivedConf)?.content ?? '';
	const servers = lab.hosts.map((server, serverIndex) => ({name: `cp${serverIndex + 1}`, address: server.address}));
	const keepalived = guideKeepalived({
		master: index === 0,
		networkInterface: host.interface,
		routerId: /virtual_router_id (\d+)/.exec(current)?.[1] ?? '',
		authPass: /auth_pass (\S+)/.exec(current)?.[1] ?? '',
		vip: `${lab.address(100)}/24`,
	});
	return new Map([
		[keepalivedConf, {content: keepalived, mode: 0o600}],
		[checkScript, {content: guideCheckScript(loadBalancerPort), mode: 0o755}],
		[haproxyCfg, {content: guideHaproxy(loadBalancerPort, apiServerPort, servers), mode: 0o644}],
	]);
}

/** Writes each host's files, checks and restarts keepalived and haproxy, and waits until the lab is whole. */
async function configure(lab: Lab, files: readonly HostFiles[]): Promise<void> {
	for (const [index, host] of lab.hosts.entries()) {
		for (const [path, {content, mode}] of files[index] ?? []) {
			await lab.writeFile(host, path, content, mode);
		}

		const restarted = await lab.exec(
			host,
			`keepalived -t -f ${keepalivedConf} && haproxy -c -q -f ${haproxyCfg} && systemctl restart haproxy keepalived`,
		);
		if (restarted.code !== 0) {
			throw new Error(`the configuration did not start on ${host.name}: ${restarted.stderr}`);
		}
	}

	for (let attempt = 0; attempt < 60; attempt++) {
		const holders = await holdersOf(lab, lab.address(100));
		const backends = await Promise.all(lab.hosts.map((host) => haproxyBackends(lab, host)));
		if (holders.join() === lab.hosts[0]?.name && backends.every((states) => states.every((s) => s.endsWith(' UP')))) {
			return;
		}

		await delay(1000);
	}

	throw new Error('the lab did not settle within 60 s after a configuration change');
}

/** `kubeha drill --rounds <runs>` for one fault: the medians, and what went wrong if anything did. */
async function drill(cluster: LabCluster, fault: FaultName, configuration: string): Promise<Measured> {
	const result = await cluster.kubeha(['drill', '--yes', '--output', 'json', '--fault', fault, '--rounds', `${runs}`]);
	const report = result.stdout.startsWith('{') ? (JSON.parse(result.stdout) as DrillReport) : undefined;
	const problems = [
		...(report?.rounds.flatMap((round) => round.problems) ?? []),
		...(report?.stopped === undefined ? [] : [report.stopped]),
		...(report === undefined ? [`kubeha drill exited ${result.code}: ${result.stderr.trim().split('\n').at(-1)}`] : []),
	];
	console.log(
		`  ${configuration}, ${fault}: ${report?.rounds.length ?? 0} runs, medians ${JSON.stringify(report?.median)}`,
	);
	return {...report?.median, problems};
}

const seconds = (ms: number | undefined): string => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);

/** The guide's figure over kubeha's, when both are there and above zero. */
const ratio = (ours: number | undefined, theirs: number | undefined): string =>
	ours === undefined || theirs === undefined || ours === 0 || theirs === 0 ? '-' : `${(theirs / ours).toFixed(1)}×`;

function printTable(kubeha: Configuration, guide: Configuration): void {
	const rows = [
		[
			'fault',
			'kubeha: API back',
			'last failure',
			'failed',
			'guide: API back',
			'last failure',
			'failed',
			'API back ÷',
			'failed ÷',
			'target',
		],
		...faults.map(({fault, title, target}) => [
			title,
			...[kubeha[fault], guide[fault]].flatMap((measured) => [
				seconds(measured.apiBackAfterMs),
				seconds(measured.lastFailureAfterMs),
				String(measured.failedRequests ?? '-'),
			]),
			ratio(kubeha[fault].apiBackAfterMs, guide[fault].apiBackAfterMs),
			ratio(kubeha[fault].failedRequests, guide[fault].failedRequests),
			target,
		]),
	];
	const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
	console.log(
		`failover, 3 control planes in the lab, median of ${runs} runs. API back: from the fault to the first successful GET /healthz through the VIP; last failure: when the last failed one was sent; failed: requests (one every 100 ms) without a 200 within 1 s; ÷: the guide's figure over kubeha's.`,
	);
	for (const row of rows) {
		console.log(`  ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')}`.trimEnd());
	}

	for (const [name, configuration] of [
		['kubeha', kubeha],
		['guide', guide],
	] as const) {
		for (const {fault} of faults) {
			for (const problem of configuration[fault].problems) {
				console.log(`  ${name}, ${fault}: ${problem}`);
			}
		}
	}
}

export async function benchFailover(): Promise<{kubeha: Configuration; guide: Configuration} | undefined> {
	const availability = labAvailable({commands: ['keepalived', 'haproxy', 'curl', 'socat']});
	if (!availability.ok) {
		console.log(`failover: skipped, ${availability.reason}`);
		return undefined;
	}

	const lab = await startLab({hosts: 3});
	const cluster = await labCluster(lab, stackedClusterYaml(lab, {controlPlanes: 3, workers: 0}));
	try {
		await cluster.apply();
		const kubehaFiles = await Promise.all(lab.hosts.map((host) => filesOn(lab, host)));
		const guideConfiguration = lab.hosts.map((host, index) =>
			guideFiles(lab, host, index, kubehaFiles[index] ?? new Map()),
		);
		console.log(`failover: each fault ${runs} times with kubeha's settings, then ${runs} times with the guide's…`);
		const kubeha: Partial<Configuration> = {};
		const guide: Partial<Configuration> = {};
		for (const {fault} of faults) {
			kubeha[fault] = await drill(cluster, fault, 'kubeha');
			await configure(lab, guideConfiguration);
			guide[fault] = await drill(cluster, fault, 'guide');
			await configure(lab, kubehaFiles);
		}

		printTable(kubeha as Configuration, guide as Configuration);
		return {kubeha: kubeha as Configuration, guide: guide as Configuration};
	} finally {
		await lab.stop();
		cluster.remove();
	}
}
