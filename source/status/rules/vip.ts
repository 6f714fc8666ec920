import {initialMaster} from '../../render/keepalived.ts';
import {vipWithPrefix} from '../../render/vip.ts';
import {type ClusterSpec, vipAddress, vipHolders} from '../../spec/cluster.ts';
import type {ClusterStatus, HostStatus, Problem} from '../types.ts';
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
		return [keepalived ? keepalivedSplit(vip, spec, holders) : kubeVipSplit(vip, holders)];
	}

	const [holder] = holders;
	const expected = keepalived ? expectedVipHolder(status, spec) : undefined;
	const holderPriority = holder?.loadBalancer?.keepalived;
	// A holder whose keepalived is not running kept a VIP it could not remove: the keepalived problem says so.
	if (
		holder === undefined ||
		expected === undefined ||
		expected.node === holder.node ||
		holderPriority?.running === false
	) {
		return [];
	}

	return [
		{
			node: holder.node,
			what: `the VIP ${vip} is on ${holder.node}, not on ${expected.node}`,
			why: `${expected.node} advertises the highest priority (${expected.priority}) of the load-balancer nodes whose keepalived runs${holderPriority?.running && holderPriority.instance ? `, ${holder.node} ${holderPriority.instance.effectivePriority}` : ''}; VRRP should have moved the VIP there within seconds`,
			fix: `check that VRRP adverts pass between ${expected.node} and ${holder.node} (IP protocol 112), and \`journalctl -u keepalived\` on both.`,
		},
	];
}

const splitWhat = (vip: string, holders: readonly HostStatus[]) => `the VIP ${vip} is on ${names(holders)} at once`;
const splitEffect = 'so clients reach whichever answered ARP last, and ARP answers flip between their MAC addresses';

function kubeVipSplit(vip: string, holders: readonly HostStatus[]): Problem {
	return {
		what: splitWhat(vip, holders),
		why: `\`ip -o -4 address\` shows it on each of them (a split brain), ${splitEffect}`,
		fix: 'kube-vip on these nodes does not see one lease holder: check that they reach the API and the kube-vip logs.',
	};
}

/**
Two keepalived holders have two causes that need opposite fixes. A holder whose keepalived is not running kept
the VIP when keepalived died without stopping (kill -9, a crash, the OOM killer: only a stopping keepalived
removes it), and a backup rightly took it too: keepalived must run there again, and it removes the stale VIP as
it starts. Holders whose keepalived all run do not hear each other's adverts: VRRP traffic is blocked.
*/
function keepalivedSplit(vip: string, spec: ClusterSpec, holders: readonly HostStatus[]): Problem {
	const stale = holders.filter((host) => host.loadBalancer?.keepalived.running === false);
	if (stale.length > 0) {
		const live = holders.filter((host) => !stale.includes(host));
		const restart =
			spec.loadBalancer.deploy === 'systemd'
				? `\`systemctl start keepalived\` on ${names(stale)} (kubeha's drop-in restarts a crashed keepalived after 1 s: one still down failed to start, see \`systemctl status keepalived\` there)`
				: `the kubelet restarts the keepalived static pod on ${names(stale)} (\`crictl ps -a --name keepalived\` shows why it is down)`;
		return {
			what: splitWhat(vip, holders),
			why: `keepalived is not running on ${names(stale)}, which still ${stale.length > 1 ? 'have' : 'has'} the VIP: a keepalived that dies without stopping (kill -9, a crash, the OOM killer) cannot remove it${live.length > 0 ? `, and ${names(live)} took it over as VRRP should` : ''}; ${splitEffect}`,
			fix: `${restart}; keepalived removes the stale VIP as it starts. To take it away at once: \`ip address del ${vipWithPrefix(spec)} dev <interface>\` on ${names(stale)}.`,
		};
	}

	return {
		what: splitWhat(vip, holders),
		why: `keepalived runs on each of them and each holds the VIP: they do not hear each other's VRRP adverts (a split brain), ${splitEffect}`,
		fix: `check that IP protocol 112 (VRRP) passes between them (firewalls, security groups; multicast 224.0.0.18 or loadBalancer.unicast), and that no other router on the segment uses virtual_router_id ${spec.loadBalancer.virtualRouterId}.`,
	};
}
