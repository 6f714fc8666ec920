import {initialMaster} from '../../source/render/keepalived.ts';
import {
	type ClusterSpec,
	controlPlanes,
	etcdMembers,
	firstControlPlane,
	hasRole,
	loadBalancerNodes,
} from '../../source/spec/cluster.ts';
import {error, type Finding, warning} from '../../source/spec/finding.ts';
import {closest} from '../../source/spec/load.ts';
import {count, listNames} from '../../source/spec/rules/rule.ts';
import type {NodeSpec} from '../../source/spec/schema.ts';

/** What the hosts showed before a removal; a field is absent when it could not be seen. */
export type RemovalObservations = {
	/** The node that holds the VIP now, by `ip address` on the nodes that may hold it. */
	readonly vipHolder?: string;
	/** The etcd members (the one removed included) that answered a health check. */
	readonly healthyEtcdMembers?: readonly string[];
};

/** A removal to judge: the effective spec now, the one without the node, and what the hosts showed. */
export type RemovalCase = {
	readonly before: ClusterSpec;
	/** The effective spec of cluster.yaml once the node is gone (its default priorities recomputed). */
	readonly after: ClusterSpec;
	readonly name: string;
	readonly observed?: RemovalObservations;
};

/** etcd's FAQ: n members need floor(n/2)+1 of them to agree on every write, membership changes included. */
const quorumOf = (members: number): number => Math.floor(members / 2) + 1;

/** `--name` that names no node of the spec, with the closest name when there is one. */
export function unknownNodeFinding(spec: ClusterSpec, name: string): Finding {
	const names = spec.nodes.map((node) => node.name);
	const guess = closest(name, names);
	return error(
		'remove-unknown-node',
		'nodes',
		`--name "${name}" is not a node of cluster ${spec.name}; its nodes are ${listNames(names, names.length)}`,
		guess === undefined ? 'give the name of one of these nodes.' : `did you mean --name ${guess}?`,
	);
}

/**
What removing the node would do to the cluster: errors refuse it (it would break the cluster), warnings say
where the cluster ends up weaker. Pure; the observations add what only the hosts can tell.
*/
export function assessRemoval(removal: RemovalCase): Finding[] {
	const {before, name} = removal;
	const index = before.nodes.findIndex((node) => node.name === name);
	const node = before.nodes[index];
	if (node === undefined) {
		return [unknownNodeFinding(before, name)];
	}

	const facts: Facts = {...removal, node, path: `nodes[${index}]`, observed: removal.observed ?? {}};
	return [
		...(hasRole(node, 'control-plane') ? controlPlaneFindings(facts) : []),
		...(etcdMembers(before).some((member) => member.name === name) ? etcdFindings(facts) : []),
		...(before.loadBalancer.mode === 'keepalived-haproxy' && hasRole(node, 'load-balancer')
			? loadBalancerFindings(facts)
			: []),
		...(before.loadBalancer.mode === 'kube-vip' && facts.observed.vipHolder === name ? [kubeVipHolder(facts)] : []),
	];
}

type Facts = Required<RemovalCase> & {
	readonly node: NodeSpec;
	/** Where the node is in cluster.yaml, `nodes[2]`. */
	readonly path: string;
};

const names = (nodes: readonly NodeSpec[]): string => listNames(nodes.map((node) => node.name));

function controlPlaneFindings({before, after, name, path}: Facts): Finding[] {
	const remaining = controlPlanes(after);
	if (remaining.length === 0) {
		return [
			error(
				'remove-last-control-plane',
				path,
				`${name} is the only control plane of cluster ${before.name}: without it no API server runs and the cluster is gone`,
				'add another control plane to cluster.yaml and run kubeha apply first; to tear the whole cluster down, run `kubeadm reset -f` on every node instead.',
			),
		];
	}

	const findings: Finding[] = [];
	if (remaining.length < 3) {
		const consequence =
			remaining.length === 1
				? 'the API goes down with it'
				: before.etcd.topology === 'stacked'
					? 'with stacked etcd, the failure of either stops the cluster'
					: 'one may fail, but not while the other is down for maintenance';
		findings.push(
			warning(
				'remove-below-three-control-planes',
				path,
				`${count(remaining.length, 'control plane')} will be left (${names(remaining)}): ${consequence}`,
				'add a control plane when you can (three tolerate the failure of one).',
			),
		);
	}

	const next = firstControlPlane(after);
	if (firstControlPlane(before)?.name === name && next !== undefined) {
		findings.push(
			warning(
				'remove-first-control-plane',
				path,
				`${name} is the first control plane, where kubeadm init ran; ${next.name} takes that part for kubeha: the next apply writes /etc/kubeha/kubeadm-init.yaml there and renews the join credentials from it`,
				'nothing to do: the cluster itself has no first control plane.',
			),
		);
	}

	return findings;
}

function etcdFindings({before, after, name, path, observed}: Facts): Finding[] {
	const members = etcdMembers(before);
	const remaining = etcdMembers(after);
	const stacked = before.etcd.topology === 'stacked';
	if (remaining.length === 0) {
		// Stacked: that is the last control plane, refused in its own words.
		return stacked
			? []
			: [
					error(
						'remove-last-etcd-member',
						path,
						`${name} is the only etcd member of cluster ${before.name}: without it the API servers have no data store`,
						'add another node with the role etcd and run kubeha apply first.',
					),
				];
	}

	const quorum = quorumOf(remaining.length);
	const healthy = observed.healthyEtcdMembers;
	if (healthy !== undefined) {
		const down = remaining.filter((member) => !healthy.includes(member.name));
		if (remaining.length - down.length < quorum) {
			return [
				error(
					'remove-below-etcd-quorum',
					path,
					`after removing ${name}, etcd has ${count(remaining.length, 'member')}, which need ${quorum} to agree, but only ${remaining.length - down.length} of them answer (not ${names(down)}): the cluster would stop`,
					`bring etcd on ${names(down)} back first; a member that is gone for good is removed first (kubeha remove-node --name ${down[0]?.name}).`,
				),
			];
		}

		if (healthy.length < quorumOf(members.length)) {
			return [
				error(
					'remove-without-etcd-quorum',
					path,
					`only ${healthy.length} of the ${count(members.length, 'etcd member')} answer, fewer than the ${quorumOf(members.length)} etcd needs: it has lost quorum, so it cannot agree to remove ${name}`,
					'bring enough etcd members back for quorum first (`journalctl -u etcd` on the etcd nodes, or the etcd pods on the control planes).',
				),
			];
		}
	}

	const kind = stacked ? 'control planes with stacked etcd' : 'etcd members';
	if (remaining.length % 2 === 0) {
		return [
			warning(
				'remove-even-etcd-members',
				path,
				`${count(remaining.length, 'etcd member')} will be left: they need ${quorum} to agree and tolerate ${count(remaining.length - quorum, 'failure')}, no more than ${remaining.length - 1} would`,
				`keep an odd number of ${kind}: add one, or remove another.`,
			),
		];
	}

	return remaining.length === 1
		? [
				warning(
					'remove-single-etcd-member',
					path,
					`one etcd member (${names(remaining)}) will be left: it tolerates no failure`,
					`add ${kind} when you can (three tolerate one failure).`,
				),
			]
		: [];
}

function loadBalancerFindings({before, after, name, path, observed}: Facts): Finding[] {
	const remaining = loadBalancerNodes(after);
	const vip = before.loadBalancer.vip;
	if (remaining.length === 0) {
		return [
			error(
				'remove-only-load-balancer',
				path,
				`${name} is the only load-balancer node: without it nothing holds the VIP ${vip}, and the API endpoint is gone although the control planes run`,
				`give another node the role load-balancer and run kubeha apply first, then remove ${name}.`,
			),
		];
	}

	const findings: Finding[] = [];
	// Without an observation, keepalived's priorities say who holds the VIP while every node is healthy.
	const holds = (observed.vipHolder ?? initialMaster(before)?.name) === name;
	if (holds) {
		findings.push(
			warning(
				'remove-vip-holder',
				path,
				`${name} ${observed.vipHolder === undefined ? 'should hold' : 'holds'} the VIP ${vip}: it moves to ${initialMaster(after)?.name} (the highest priority left) when keepalived stops on ${name}, and clients of the API through the VIP see a pause of about a second`,
				'nothing to do; remove the node at a quiet moment if such a pause matters.',
			),
		);
	}

	if (remaining.length === 1) {
		findings.push(
			warning(
				'remove-single-load-balancer',
				path,
				`only ${names(remaining)} will run keepalived and haproxy: when it fails, the VIP has nowhere to go`,
				'add a load-balancer node when you can (two or more).',
			),
		);
	}

	return findings;
}

/** kube-vip: the leader holds the VIP; when its kube-vip stops (kubeadm reset), another control plane is elected. */
const kubeVipHolder = ({before, name, path}: Facts): Finding =>
	warning(
		'remove-vip-holder',
		path,
		`${name} holds the VIP ${before.loadBalancer.vip} (its kube-vip leads): another control plane's kube-vip takes it over when kubeadm reset stops the one on ${name}, within a few seconds (the lease duration)`,
		'nothing to do; remove the node at a quiet moment if such a pause matters.',
	);
