import {type ClusterSpec, loadBalancerNodes} from '../spec/cluster.ts';
import type {ClusterStatus, HostStatus} from './types.ts';

/** The nodes whose VIP interface has the VIP, as `ip address` on each said. */
export const vipHoldersOf = (status: ClusterStatus): HostStatus[] =>
	status.hosts.filter((host) => host.vipHeld === true);

/** An IPv4 address as a number, for VRRP's tie-break. */
const addressValue = (address: string): number =>
	address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);

/** A candidate for the VIP: a load-balancer node whose keepalived runs, with the priority it advertises. */
export type VipCandidate = {readonly node: string; readonly priority: number};

/**
Where VRRP puts the VIP now (keepalived-haproxy mode): on the load-balancer node with the highest effective
priority among those whose keepalived runs and is not in FAULT; a tie goes to the higher address (RFC 3768
6.4.3). A node whose instance could not be read counts with its configured priority. Undefined when no
keepalived can hold it.
*/
export function expectedVipHolder(status: ClusterStatus, spec: ClusterSpec): VipCandidate | undefined {
	const candidates = loadBalancerNodes(spec).flatMap((node) => {
		const keepalived = status.hosts.find((host) => host.node === node.name)?.loadBalancer?.keepalived;
		if (!keepalived?.running || keepalived.instance?.state === 'FAULT') {
			return [];
		}

		const priority = keepalived.instance?.effectivePriority ?? node.priority ?? 0;
		return [{node: node.name, priority, address: addressValue(node.address)}];
	});
	const best = candidates.reduce<(typeof candidates)[number] | undefined>(
		(top, candidate) =>
			top === undefined ||
			candidate.priority > top.priority ||
			(candidate.priority === top.priority && candidate.address > top.address)
				? candidate
				: top,
		undefined,
	);
	return best && {node: best.node, priority: best.priority};
}
