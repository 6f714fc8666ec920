import {initialMaster} from '../../render/keepalived.ts';
import {type ClusterSpec, vipAddress, vipHolders} from '../../spec/cluster.ts';
import type {ClusterStatus, Problem} from '../types.ts';
import {expectedVipHolder, vipHoldersOf} from '../vip-holders.ts';

const names = (list: readonly {node: string}[]): string => list.map((host) => host.node).join(', ');

/** The VIP on no node, on several at once, or (keepalived) on another node than VRRP's priorities choose. */
export function vipProblems(status: ClusterStatus, spec: ClusterSpec): Problem[] {
	const vip = vipAddress(spec);
	const candidates = vipHolders(spec).map((node) => node.name);
	if (vip === undefined || candidates.length === 0) {
		return [];
	}

	const asked = status.hosts.filter((host) => candidates.includes(host.node) && host.reachable);
	const notAsked = status.hosts.filter((host) => candidates.includes(host.node) && !host.reachable);
	const holders = vipHoldersOf(status);
	const keepalived = spec.loadBalancer.mode === 'keepalived-haproxy';
	const endpoint = `https://${vip}:${spec.loadBalancer.port}`;
	if (holders.length === 0) {
		return [
			{
				what: `the VIP ${vip} is on no node`,
				why: `\`ip -o -4 address\` shows it on none of ${names(asked) || 'the nodes'}${notAsked.length > 0 ? ` (${names(notAsked)} could not be asked and may hold it)` : ''}, so clients of ${endpoint} reach nothing`,
				fix: keepalived
					? `keepalived puts it on the healthy load-balancer node with the highest priority: see the keepalived column, and \`journalctl -u keepalived\` on ${initialMaster(spec)?.name ?? 'the load-balancer nodes'}.`
					: 'kube-vip puts it on the control plane that holds its plndr-cp-lock lease: check the kube-vip static pods (crictl ps --name kube-vip, crictl logs).',
			},
		];
	}

	if (holders.length > 1) {
		return [
			{
				what: `the VIP ${vip} is on ${names(holders)} at once`,
				why: `\`ip -o -4 address\` shows it on each of them (a split brain), so clients reach whichever answered ARP last`,
				fix: keepalived
					? `the nodes do not hear each other's VRRP adverts: check that IP protocol 112 (VRRP) passes between them (firewalls, security groups; multicast 224.0.0.18 or loadBalancer.unicast), and that no other router on the segment uses virtual_router_id ${spec.loadBalancer.virtualRouterId}.`
					: 'kube-vip on these nodes does not see one lease holder: check that they reach the API and the kube-vip logs.',
			},
		];
	}

	const [holder] = holders;
	const expected = keepalived ? expectedVipHolder(status, spec) : undefined;
	if (holder === undefined || expected === undefined || expected.node === holder.node) {
		return [];
	}

	const holderPriority = status.hosts.find((host) => host.node === holder.node)?.loadBalancer?.keepalived;
	return [
		{
			node: holder.node,
			what: `the VIP ${vip} is on ${holder.node}, not on ${expected.node}`,
			why: `${expected.node} advertises the highest priority (${expected.priority}) of the load-balancer nodes whose keepalived runs${holderPriority?.running && holderPriority.instance ? `, ${holder.node} ${holderPriority.instance.effectivePriority}` : ''}; VRRP should have moved the VIP there within seconds`,
			fix: `check that VRRP adverts pass between ${expected.node} and ${holder.node} (IP protocol 112), and \`journalctl -u keepalived\` on both.`,
		},
	];
}
