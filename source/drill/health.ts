// The drill's own check that the cluster is healthy enough to take a piece away (and whole again afterwards):
// the VIP on exactly one load-balancer node, keepalived running on each, every API server UP in every haproxy,
// /healthz through the VIP, and no manifest left aside by an earlier drill.
import {setTimeout as delay} from 'node:timers/promises';
import {haproxyAdminSocket} from '../render/haproxy.ts';
import {manifestsDirectory} from '../render/static-pod.ts';
import {type Shell, sh} from '../runner/shell.ts';
import {type ClusterSpec, controlPlanes, hasRole, loadBalancerNodes} from '../spec/cluster.ts';
import type {NodeSpec} from '../spec/schema.ts';
import {stashDirectory} from './faults.ts';
import type {Probe, ProbeOutcome, ProbeTarget} from './probe.ts';
import {vipPatterns} from './vip-watch.ts';

/** What one node said about itself. */
export type NodeHealth = {
	readonly node: string;
	/** Why the node could not be asked (ssh failed), when it could not. */
	readonly unreachable?: string;
	/** Load-balancer nodes only. */
	readonly holdsVip?: boolean;
	/** Load-balancer nodes only: whether haproxy answered on its admin socket. */
	readonly haproxyAnswered?: boolean;
	/** Load-balancer nodes only: whether keepalived runs (a backup without it cannot take the VIP). */
	readonly keepalivedRuns?: boolean;
	/** `show stat` of haproxy's API server backend: each server and its status (UP, DOWN, MAINT…). */
	readonly backends: readonly {readonly server: string; readonly status: string}[];
	/** Manifests an earlier drill left in the stash directory. */
	readonly stashed: readonly string[];
};

export type ClusterHealth = {
	readonly nodes: readonly NodeHealth[];
	readonly healthz: ProbeOutcome;
	readonly healthzUrl: string;
};

/** The nodes the check asks: the load-balancer nodes and the control planes (whose manifests a drill moves). */
export const checkedNodes = (spec: ClusterSpec): NodeSpec[] => [
	...new Set([...loadBalancerNodes(spec), ...controlPlanes(spec)]),
];

/** What a node prints about itself, one fact a line (`stashed`, `vip`, `keepalived`, `haproxy`, `backend`). */
export function healthScript(node: NodeSpec, vip: string): string {
	const stash = [
		sh`for kubeha_file in ${stashDirectory}/*.yaml; do`,
		'\tif [ -e "$kubeha_file" ]; then echo "stashed $kubeha_file"; fi',
		'done',
	];
	if (!hasRole(node, 'load-balancer')) {
		return stash.join('\n');
	}

	return [
		...stash,
		'kubeha_addresses=$(ip -o address show)',
		'case "$kubeha_addresses" in',
		`${vipPatterns(vip)}) echo 'vip held' ;;`,
		"*) echo 'vip free' ;;",
		'esac',
		"if pgrep -x keepalived >/dev/null; then echo 'keepalived running'; else echo 'keepalived stopped'; fi",
		sh`if kubeha_stat=$(echo 'show stat' | socat stdio ${`unix-connect:${haproxyAdminSocket}`} 2>/dev/null); then`,
		"\techo 'haproxy answered'",
		// show stat is CSV: field 1 the proxy, 2 the server, 18 its status.
		`\tprintf '%s\\n' "$kubeha_stat" | awk -F, '$1 == "kube-apiserver" && $2 != "FRONTEND" && $2 != "BACKEND" { print "backend", $2, $18 }'`,
		'else',
		"\techo 'haproxy silent'",
		'fi',
	].join('\n');
}

/** Reads healthScript's output. */
export function parseNodeHealth(node: NodeSpec, stdout: string): NodeHealth {
	const lines = stdout.split('\n').map((line) => line.trim());
	const words = lines.map((line) => line.split(/\s+/));
	const loadBalancer = hasRole(node, 'load-balancer');
	return {
		node: node.name,
		...(loadBalancer
			? {
					holdsVip: lines.includes('vip held'),
					haproxyAnswered: lines.includes('haproxy answered'),
					keepalivedRuns: lines.includes('keepalived running'),
				}
			: {}),
		backends: words.filter(([kind]) => kind === 'backend').map(([, server = '', status = '']) => ({server, status})),
		stashed: words.filter(([kind]) => kind === 'stashed').map(([, path = '']) => path),
	};
}

/** What the check needs: the nodes and how to reach them, the VIP and how to ask the API through it. */
export type HealthRequest = {
	readonly spec: ClusterSpec;
	readonly shell: Shell;
	readonly vip: string;
	readonly target: ProbeTarget;
	readonly probe: Probe;
};

/** Asks every node (in parallel, each within 15 s) and the API through the VIP. */
export async function checkHealth(request: HealthRequest): Promise<ClusterHealth> {
	const {spec, shell, vip} = request;
	const nodes = await Promise.all(
		checkedNodes(spec).map(async (node): Promise<NodeHealth> => {
			try {
				const result = await shell.run(node, healthScript(node, vip), {signal: AbortSignal.timeout(15_000)});
				return parseNodeHealth(node, result.stdout);
			} catch (error) {
				return {node: node.name, unreachable: (error as Error).message, backends: [], stashed: []};
			}
		}),
	);
	// One request decides here, not a stream of them: it gets the time a busy API server may take.
	const healthz = await request.probe({...request.target, timeoutMs: Math.max(request.target.timeoutMs, 5000)});
	return {nodes, healthz, healthzUrl: request.target.url};
}

/** The load-balancer nodes that hold the VIP. */
export const vipHoldersIn = (health: ClusterHealth): string[] =>
	health.nodes.filter((node) => node.holdsVip === true).map((node) => node.node);

function nodeProblems(node: NodeHealth): string[] {
	if (node.unreachable !== undefined) {
		return [`cannot ask ${node.node} over ssh: ${node.unreachable}`];
	}

	const stashed = node.stashed.map(
		(path) =>
			`${node.node}: an earlier drill left ${path} out of ${manifestsDirectory}, so the kubelet does not run that pod; put it back on ${node.node}: ${sh`mv ${path} ${manifestsDirectory}/`}`,
	);
	const keepalived =
		node.keepalivedRuns === false
			? [
					`keepalived does not run on ${node.node}, so it cannot take the VIP over: start it (systemctl start keepalived, or check the static pod with crictl ps).`,
				]
			: [];
	if (node.haproxyAnswered === false) {
		return [
			...stashed,
			...keepalived,
			`haproxy on ${node.node} does not answer on its admin socket ${haproxyAdminSocket}: check that it runs (systemctl status haproxy, or crictl ps for the static pod).`,
		];
	}

	const down = node.backends
		.filter((backend) => backend.status !== 'UP')
		.map(
			(backend) =>
				`haproxy on ${node.node} has the API server ${backend.server} ${backend.status}: bring that API server back (crictl ps and journalctl -u kubelet on ${backend.server}) before a drill takes another one away.`,
		);
	const none =
		node.haproxyAnswered === true && node.backends.length === 0
			? [
					`haproxy on ${node.node} has no kube-apiserver backend: its haproxy.cfg is not the one kubeha renders (kubeha apply --dry-run shows the difference).`,
				]
			: [];
	return [...stashed, ...keepalived, ...down, ...none];
}

/** OpenSSL's and Node's codes for a certificate that does not verify (UNABLE_TO_VERIFY_LEAF_SIGNATURE, ERR_TLS_CERT_ALTNAME_INVALID…). */
const certificateError = /CERT|SIGNATURE|ISSUER/;

/** What keeps the cluster from being whole, each with what to do; empty when it is. */
export function healthProblems(health: ClusterHealth, vip: string): string[] {
	const holders = vipHoldersIn(health);
	const reachedAll = health.nodes.every((node) => node.unreachable === undefined);
	const vipProblems =
		holders.length > 1
			? [
					`${holders.join(', ')} all hold the VIP ${vip} at once (VRRP split brain): check that VRRP adverts pass between the load-balancer nodes (same virtual_router_id, multicast or unicast peers) before a drill.`,
				]
			: holders.length === 0 && reachedAll
				? [
						`no load-balancer node holds the VIP ${vip}: check keepalived on them (systemctl status keepalived, journalctl -u keepalived).`,
					]
				: [];
	const healthzProblems = health.healthz.ok
		? []
		: [
				`GET ${health.healthzUrl} failed (${health.healthz.error ?? 'no answer'}): the API does not answer through the VIP${certificateError.test(health.healthz.error ?? '') ? "; the certificate is not from this cluster's CA (the secrets file beside the spec) or does not name the VIP" : ''}.`,
			];
	return [...health.nodes.flatMap((node) => nodeProblems(node)), ...vipProblems, ...healthzProblems];
}

/** The cluster's problems (none when it is whole) and, when it is whole, the node that holds the VIP. */
export type Wholeness = {readonly problems: readonly string[]; readonly holder?: string};

/**
Checks the cluster again and again until it is whole, with the VIP on `holder` when one is named (keepalived
pre-empts, so after a drill the VIP goes back to the highest priority), or until `deadline` (on `now`'s clock)
passes or `signal` fires.
*/
export async function waitUntilWhole(
	request: HealthRequest & {readonly now: () => number; readonly pollMs: number; readonly signal?: AbortSignal},
	until: {readonly deadline: number; readonly holder?: string},
): Promise<Wholeness> {
	for (;;) {
		const health = await checkHealth(request);
		const [holder] = vipHoldersIn(health);
		const problems = healthProblems(health, request.vip);
		if (problems.length === 0 && until.holder !== undefined && holder !== until.holder) {
			problems.push(`the VIP is on ${holder}, not back on ${until.holder}.`);
		}

		if (problems.length === 0) {
			return {problems, ...(holder === undefined ? {} : {holder})};
		}

		if (request.now() >= until.deadline || request.signal?.aborted) {
			return {problems};
		}

		await delay(request.pollMs, undefined, request.signal ? {signal: request.signal} : {}).catch(() => undefined);
	}
}
