import {checkApiserverPath, checkHaproxyPath, initialMaster} from '../../render/keepalived.ts';
import type {ClusterSpec} from '../../spec/cluster.ts';
import type {ClusterStatus, HostStatus, Problem} from '../types.ts';
import {vipHoldersOf} from '../vip-holders.ts';

/** How to look at keepalived on a node, as it is deployed. */
const lookAt = (spec: ClusterSpec, node: string, what: 'keepalived' | 'haproxy'): string =>
	spec.loadBalancer.deploy === 'systemd'
		? `\`systemctl status ${what}\` and \`journalctl -u ${what}\` on ${node}`
		: `the ${what} static pod on ${node} (\`crictl ps -a --name ${what}\`, \`crictl logs\`)`;

/**
keepalived stopped, in FAULT, or with a lowered priority on a load-balancer node: each one means the node cannot
hold the VIP (or would yield it), whoever holds it now. An instance that could not be read is unknown, not a problem.
*/
export function keepalivedProblems(status: ClusterStatus, spec: ClusterSpec): Problem[] {
	const holders = vipHoldersOf(status).map((host) => host.node);
	const preferred = initialMaster(spec);
	const where = holders.length > 0 ? `the VIP is on ${holders.join(', ')}` : 'the VIP is on no node';
	return status.hosts.flatMap((host): Problem[] => {
		const keepalived = host.loadBalancer?.keepalived;
		if (keepalived === undefined) {
			return [];
		}

		if (!keepalived.running) {
			return [notRunning(spec, host, holders, preferred?.name === host.node ? preferred.priority : undefined)];
		}

		const {instance} = keepalived;
		if (instance?.state === 'FAULT') {
			return [
				{
					node: host.node,
					what: `keepalived on ${host.node} is in FAULT`,
					why: `its haproxy check (${checkHaproxyPath}) fails or its interface is down, so it gave up the VIP (${where})`,
					fix: `check haproxy on ${host.node}: ${lookAt(spec, host.node, 'haproxy')}; keepalived leaves FAULT once the check passes.`,
				},
			];
		}

		if (instance && instance.effectivePriority < instance.basePriority) {
			return [loweredPriority(host, instance, where)];
		}

		return [];
	});
}

function loweredPriority(
	host: HostStatus,
	instance: {basePriority: number; effectivePriority: number},
	where: string,
): Problem {
	return {
		node: host.node,
		what: `keepalived on ${host.node} lowered its priority from ${instance.basePriority} to ${instance.effectivePriority}`,
		why: `its API check (${checkApiserverPath}: /healthz through this node's haproxy) fails, so it yields the VIP to a node whose check passes (${where})`,
		fix: `see which API servers haproxy on ${host.node} reaches (the haproxy column) and make them healthy; the priority comes back after three passing checks.`,
	};
}

/**
keepalived not running on a node. Said as the hosts show it: a node that still has the VIP kept it when keepalived
died (the VIP problem says so for two holders); a node without it cannot take it, and the preferred node says where
the VIP is instead.
*/
function notRunning(
	spec: ClusterSpec,
	host: HostStatus,
	holders: readonly string[],
	preferredPriority: number | undefined,
): Problem {
	const others = holders.filter((holder) => holder !== host.node);
	let why: string;
	if (host.vipHeld === true) {
		why = `no keepalived process runs there, yet ${host.node} still has the VIP: a keepalived that dies without stopping (kill -9, a crash, the OOM killer) cannot remove it${others.length > 0 ? `, and ${others.join(', ')} holds it too` : ', and the VIP stays here, unwatched, until keepalived runs again'}`;
	} else {
		const where = others.length > 0 ? `the VIP is on ${others.join(', ')}` : 'the VIP is on no node';
		why = `no keepalived process runs there, so ${host.node} cannot hold the VIP${preferredPriority === undefined ? '' : `; ${where} instead of here (priority ${preferredPriority})`}`;
	}

	const start =
		spec.loadBalancer.deploy === 'systemd'
			? `start it (\`systemctl start keepalived\` on ${host.node}; kubeha's drop-in restarts a crashed keepalived after 1 s, so this one stopped or failed to start)`
			: 'start it (the kubelet restarts its static pod)';
	return {
		node: host.node,
		what: `keepalived is not running on ${host.node}`,
		why,
		fix: `${start}; to see why it stopped: ${lookAt(spec, host.node, 'keepalived')}.`,
	};
}
