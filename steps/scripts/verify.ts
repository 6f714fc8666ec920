import {haproxyAdminSocket} from '../../source/render/haproxy.ts';
import {initialMaster} from '../../source/render/keepalived.ts';
import {vipInterface, vipOnly} from '../../source/render/vip.ts';
import {sh} from '../../source/runner/shell.ts';
import {
	type ClusterSpec,
	controlPlaneEndpoint,
	etcdMembers,
	firstControlPlane,
	hasRole,
	runsKubelet,
} from '../../source/spec/cluster.ts';
import type {NodeSpec} from '../../source/spec/schema.ts';
import {etcdHealthCommand} from './etcd.ts';
import {kubectlOn, membersCheck} from './kubeadm.ts';
import {vipHeld} from './load-balancer.ts';
import {waitUntil} from './tasks.ts';

/** One thing the installed cluster must show: a command that exits 0 when it does. */
export type Verification = {readonly what: string; readonly command: string};

const failedPrefix = 'kubeha: FAILED: ';

/** How long the nodes may take to turn Ready once the network plugin runs. */
const readyTimeout = '300s';

const haproxyStat = sh`echo 'show stat' | socat stdio ${`unix-connect:${haproxyAdminSocket}`}`;
/** awk over `show stat` CSV (field 1 proxy, 2 server, 18 status): exit 0 when every API server is UP. */
const allServersUp =
	'awk -F, \'$1 == "kube-apiserver" && $2 != "FRONTEND" && $2 != "BACKEND" { servers++; if ($18 != "UP") down++ } END { exit !(servers > 0 && down == 0) }\'';

function firstControlPlaneChecks(spec: ClusterSpec, node: NodeSpec): Verification[] {
	const kubectl = kubectlOn(spec, node);
	const kubeletNodes = spec.nodes.filter((candidate) => runsKubelet(candidate)).map((candidate) => candidate.name);
	return [
		{what: `every node registered (${kubeletNodes.join(', ')})`, command: membersCheck(spec, node, kubeletNodes)},
		{
			what: `every node Ready (waiting up to ${readyTimeout})`,
			command: `${kubectlOn(spec, node, {requestTimeout: false})} wait --for=condition=Ready node --all --timeout=${readyTimeout} && ${kubectl} get nodes -o wide`,
		},
		{
			what: `the API answers /healthz through ${controlPlaneEndpoint(spec)}`,
			command: sh`curl -fsS --insecure --max-time 5 ${`https://${controlPlaneEndpoint(spec)}/healthz`}`,
		},
		{what: 'the API server reaches a healthy etcd (/readyz/etcd)', command: `${kubectl} get --raw /readyz/etcd`},
	];
}

function loadBalancerChecks(spec: ClusterSpec, node: NodeSpec): Verification[] {
	const vip = vipOnly(spec);
	const networkInterface = vipInterface(spec, node);
	const master = initialMaster(spec)?.name === node.name;
	return [
		{
			what: 'haproxy has every API server UP (show stat on its admin socket, waiting up to 30 s)',
			command: [
				waitUntil(`${haproxyStat} | ${allServersUp}`, {
					tries: 30,
					intervalSeconds: 1,
					failure: `haproxy on ${node.name} still has API servers that are not UP: \`echo 'show stat' | socat stdio unix-connect:${haproxyAdminSocket}\` shows which; check those API servers (crictl ps, journalctl -u kubelet).`,
				}),
				`${haproxyStat} | awk -F, '$1 == "kube-apiserver" && $2 != "FRONTEND" && $2 != "BACKEND" { print $2, $18 }'`,
			].join('\n'),
		},
		master
			? {what: `${node.name} holds the VIP ${vip} (highest priority)`, command: vipHeld(networkInterface, vip)}
			: {
					what: `${node.name} does not hold the VIP ${vip} (the highest priority node does, while it is healthy)`,
					command: `! ${vipHeld(networkInterface, vip)}`,
				},
	];
}

/** What verify checks on one node: nothing on a node that has no part it can check. */
export function verificationsOf(spec: ClusterSpec, node: NodeSpec): Verification[] {
	const external = spec.etcd.topology === 'external' && etcdMembers(spec).some((member) => member.name === node.name);
	return [
		...(firstControlPlane(spec)?.name === node.name ? firstControlPlaneChecks(spec, node) : []),
		...(spec.loadBalancer.mode === 'keepalived-haproxy' && hasRole(node, 'load-balancer')
			? loadBalancerChecks(spec, node)
			: []),
		...(external ? [{what: `etcd member ${node.name} healthy`, command: etcdHealthCommand(node)}] : []),
	];
}

/**
Runs every check, saying which passed and which failed; exits 1 when one failed, after running them all.
A check's output goes through `awk 1`, which ends its last line (`curl …/healthz` prints a bare "ok"), so the verdict
starts a line of its own; pipefail keeps the check's exit status.
*/
export function verifyScript(checks: readonly Verification[]): string {
	return [
		'kubeha_failed=0',
		...checks.map((check) =>
			[
				`# ${check.what}`,
				`if (\n${check.command}\n) | awk 1; then`,
				`\t${sh`echo ${`kubeha: ok: ${check.what}`}`}`,
				'else',
				`\t${sh`echo ${failedPrefix + check.what}`} >&2`,
				'\tkubeha_failed=1',
				'fi',
			].join('\n'),
		),
		'[ "$kubeha_failed" = 0 ]',
	].join('\n');
}

/** The checks verifyScript's output says failed. */
export const failedChecks = (stderr: string): string[] =>
	stderr
		.split('\n')
		.filter((line) => line.startsWith(failedPrefix))
		.map((line) => line.slice(failedPrefix.length));
