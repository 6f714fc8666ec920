import {vipInterface, vipOnly} from '../../source/render/vip.ts';
import {type Shell, sh} from '../../source/runner/shell.ts';
import {type ClusterSpec, controlPlanes, etcdMembers, vipHolders} from '../../source/spec/cluster.ts';
import type {NodeSpec} from '../../source/spec/schema.ts';
import {etcdHealthCommand} from '../scripts/etcd.ts';
import {kubectlOn} from '../scripts/kubeadm.ts';
import {vipHeld} from '../scripts/load-balancer.ts';
import type {RemovalObservations} from './safety.ts';

/** What `kubeha remove-node` reads on the hosts before it judges the removal and asks to go on; it changes nothing. */
export type Survey = {
	/** Node name → why it does not answer over ssh; nodes that answer are absent. */
	readonly unreachable: ReadonlyMap<string, string>;
	/** A surviving control plane that answers (kubectl runs there); undefined when none does. */
	readonly controlPlane: NodeSpec | undefined;
	/** External etcd: a surviving member that answers. */
	readonly etcdPeer: NodeSpec | undefined;
	readonly observed: RemovalObservations;
};

const healthyPrefix = 'kubeha-healthy: ';

/**
Reads, for the removal of `node`: which nodes answer over ssh, who holds the VIP (`ip address` on the nodes that
may), and, when the node is an etcd member, which members are healthy. Stacked etcd is judged through each
control plane's API server (`/readyz/etcd`: kubeadm points each API server at its own etcd member), external
etcd by `etcdctl endpoint health` from a surviving member.
*/
export async function surveyCluster(
	spec: ClusterSpec,
	node: NodeSpec,
	shell: Shell,
	signal?: AbortSignal,
): Promise<Survey> {
	const unreachable = new Map<string, string>();
	await Promise.all(
		spec.nodes.map(async (candidate) => {
			const reason = await sshProblem(shell, candidate, signal);
			if (reason !== undefined) {
				unreachable.set(candidate.name, reason);
			}
		}),
	);
	const answers = (candidate: NodeSpec) => candidate.name !== node.name && !unreachable.has(candidate.name);
	const controlPlane = controlPlanes(spec).find(answers);
	const etcdPeer = spec.etcd.topology === 'external' ? etcdMembers(spec).find(answers) : undefined;
	const vipHolder = await findVipHolder(spec, shell, unreachable, signal);
	const member = etcdMembers(spec).some((candidate) => candidate.name === node.name);
	const healthyEtcdMembers = member ? await healthyMembers(spec, controlPlane, etcdPeer, shell, signal) : undefined;
	return {
		unreachable,
		controlPlane,
		etcdPeer,
		observed: {
			...(vipHolder === undefined ? {} : {vipHolder}),
			...(healthyEtcdMembers === undefined ? {} : {healthyEtcdMembers}),
		},
	};
}

/** Why the host does not answer over ssh, or undefined when it does. */
async function sshProblem(shell: Shell, node: NodeSpec, signal?: AbortSignal): Promise<string | undefined> {
	try {
		const result = await shell.run(node, 'true', {nothrow: true, ...(signal ? {signal} : {})});
		return result.exitCode === 0
			? undefined
			: result.stderr.trim().split('\n').at(-1) || `exit code ${result.exitCode}`;
	} catch (error) {
		signal?.throwIfAborted();
		return (error as Error).message;
	}
}

async function findVipHolder(
	spec: ClusterSpec,
	shell: Shell,
	unreachable: ReadonlyMap<string, string>,
	signal?: AbortSignal,
): Promise<string | undefined> {
	const candidates = vipHolders(spec).filter((candidate) => !unreachable.has(candidate.name));
	const holding = await Promise.all(
		candidates.map(async (candidate) => {
			const check = vipHeld(vipInterface(spec, candidate), vipOnly(spec));
			const result = await shell.run(candidate, check, {nothrow: true, ...(signal ? {signal} : {})});
			return result.exitCode === 0;
		}),
	);
	return candidates.find((_, index) => holding[index])?.name;
}

/** The etcd members that answer a health check, asked from one surviving host; undefined when no host can ask. */
async function healthyMembers(
	spec: ClusterSpec,
	controlPlane: NodeSpec | undefined,
	etcdPeer: NodeSpec | undefined,
	shell: Shell,
	signal?: AbortSignal,
): Promise<string[] | undefined> {
	const external = spec.etcd.topology === 'external';
	const asker = external ? etcdPeer : controlPlane;
	if (asker === undefined) {
		return undefined;
	}

	const check = (member: NodeSpec) =>
		external ? etcdHealthCommand(member) : `${kubectlOn(spec, member)} get --raw /readyz/etcd`;
	const script = etcdMembers(spec)
		.map((member) => `if ${check(member)} >/dev/null 2>&1; then ${sh`echo ${healthyPrefix + member.name}`}; fi`)
		.join('\n');
	const {stdout} = await shell.run(asker, script, {...(signal ? {signal} : {})});
	return stdout
		.split('\n')
		.filter((line) => line.startsWith(healthyPrefix))
		.map((line) => line.slice(healthyPrefix.length));
}
