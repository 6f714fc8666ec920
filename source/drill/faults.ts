import {UserError} from '../io/user-error.ts';
import {manifestsDirectory} from '../render/static-pod.ts';
import {vipInterface} from '../render/vip.ts';
import {sh} from '../runner/shell.ts';
import {type ClusterSpec, hasRole} from '../spec/cluster.ts';
import type {NodeSpec} from '../spec/schema.ts';
import type {FaultName} from './fault-names.ts';

/**
Where a drill puts a static pod manifest it takes out of the manifests directory: outside it (the kubelet runs
every file there), on the same file system (a rename keeps owner and mode), and under a name that says whose it is.
*/
export const stashDirectory = '/etc/kubernetes/kubeha-drill';

/** kubeadm's copy of the cluster CA on every node, to check an API server's certificate there. */
const clusterCaPath = '/etc/kubernetes/pki/ca.crt';

/**
How long the holder stays off the network in the node fault. Longer than any failover measured (kubeha's
settings: about 4 s; the kubeadm guide's: about 12 s), so the figures show the failover, not the return.
*/
export const offNetworkSeconds = 20;

/** The pause between the node fault's command returning and the link going down, so that ssh answers first. */
const cutDelaySeconds = 0.5;

/** What the drill does to the VIP holder, how it checks and undoes it, and what the cluster should do about it. */
export type FaultPlan = {
	readonly fault: FaultName;
	readonly node: NodeSpec;
	/** For messages: what is done, e.g. "stop haproxy (systemctl stop haproxy)". */
	readonly action: string;
	readonly inject: string;
	/** Seconds between the inject script returning and the fault happening (the node fault is detached). */
	readonly delaySeconds: number;
	/**
	Exits 0 while the piece runs. The holder runs it every 0.1 s during the drill and reports the answer, so the
	drill sees when the piece actually went down, however long the command that stops it took to start.
	*/
	readonly pieceCheck?: string;
	/**
	When the fault took effect: when the piece was seen down (a stopped service: clients lose it then), or when
	the inject script returned (plus the delay): a moved manifest, whose pod may serve for a while yet, or a cut.
	*/
	readonly faultFrom: 'piece-down' | 'inject-end';
	/** Undoes the fault; absent when the node undoes it by itself (the node fault). */
	readonly restore?: string;
	/** Seconds after the fault at which the node undoes it by itself. */
	readonly selfRestoreSeconds?: number;
	/** Exits 0 once the piece is back. */
	readonly upCheck: string;
	/** What an operator runs on the node to undo the fault when kubeha could not. */
	readonly manualRestore: string;
	/** Whether keepalived should move the VIP to another node: not when only an API server is gone. */
	readonly vipMoves: boolean;
};

/** `https://host:port`, with brackets for an IPv6 address. */
export const httpsUrl = (address: string, port: number): string =>
	`https://${address.includes(':') ? `[${address}]` : address}:${port}`;

/** A static pod goes away when its manifest leaves the manifests directory, and comes back when it returns. */
function staticPodFault(pod: string): Pick<FaultPlan, 'action' | 'inject' | 'restore' | 'manualRestore'> {
	const manifest = `${manifestsDirectory}/${pod}.yaml`;
	const stashed = `${stashDirectory}/${pod}.yaml`;
	return {
		action: `move ${manifest} out of ${manifestsDirectory} (the kubelet stops the ${pod} pod)`,
		inject: [
			sh`if [ ! -f ${manifest} ]; then`,
			sh`\techo ${`${manifest} is missing, so the kubelet runs no ${pod} pod here to stop: is this node set up as the spec says (kubeha apply --dry-run)?`} >&2`,
			'\texit 1',
			'fi',
			sh`mkdir -p -m 0700 ${stashDirectory}`,
			sh`mv ${manifest} ${stashed}`,
		].join('\n'),
		// Idempotent: a restore after an interrupted inject, or a second one, finds the manifest in place.
		restore: [
			sh`if [ -f ${stashed} ]; then mv ${stashed} ${manifest}; fi`,
			sh`rmdir ${stashDirectory} 2>/dev/null || true`,
		].join('\n'),
		manualRestore: sh`mv ${stashed} ${manifest}`,
	};
}

/**
A load-balancer service, a systemd unit or a static pod as the spec deploys it, with `running` exiting 0 while
it runs. It is down for clients as soon as it stops: the fault counts from then.
*/
function serviceFault(spec: ClusterSpec, service: 'haproxy' | 'keepalived', running: string) {
	const stop =
		spec.loadBalancer.deploy === 'static-pod'
			? staticPodFault(service)
			: {
					action: `stop ${service} (systemctl stop ${service})`,
					inject: sh`systemctl stop ${service}`,
					restore: sh`systemctl start ${service}`,
					manualRestore: sh`systemctl start ${service}`,
				};
	return {...stop, pieceCheck: running, upCheck: running, faultFrom: 'piece-down', delaySeconds: 0} as const;
}

/** Something listens on the TCP port (any address). */
const listening = (port: number): string => `[ -n "$(ss -Htln ${sh`${`sport = :${port}`}`})" ]`;

/**
The node fault: the holder's VIP interface goes down and comes back up by itself. Once the link is down, ssh
to the node may be cut too (it often uses the same interface), so kubeha could not bring it back: the node
does, from a process detached from the ssh session. With systemd as PID 1 it is a transient unit (outside the
login session, so logind's KillUserProcesses cannot end it when the session goes); otherwise its own session.
*/
function nodeFault(spec: ClusterSpec, node: NodeSpec): Omit<FaultPlan, 'fault' | 'node' | 'vipMoves'> {
	const networkInterface = vipInterface(spec, node);
	const cut = 'sleep "$1"; ip link set dev "$0" down; sleep "$2"; ip link set dev "$0" up';
	const args = [networkInterface, cutDelaySeconds, offNetworkSeconds] as const;
	return {
		action: `take ${networkInterface} down for ${offNetworkSeconds} s (ip link set dev ${networkInterface} down, then up)`,
		inject: [
			'if [ -d /run/systemd/system ] && command -v systemd-run >/dev/null; then',
			sh`\tsystemd-run --quiet --collect sh -c ${cut} ${args}`,
			'else',
			sh`\tsetsid -f sh -c ${cut} ${args} </dev/null >/dev/null 2>&1`,
			'fi',
		].join('\n'),
		delaySeconds: cutDelaySeconds,
		faultFrom: 'inject-end',
		selfRestoreSeconds: offNetworkSeconds,
		upCheck: sh`[ -n "$(ip -o link show up dev ${networkInterface})" ]`,
		manualRestore: sh`ip link set dev ${networkInterface} up`,
	};
}

/** The plan for one fault on the VIP holder; a fault that does not apply to that node is refused with the reason. */
export function faultPlan(spec: ClusterSpec, node: NodeSpec, fault: FaultName): FaultPlan {
	const {port} = spec.loadBalancer;
	switch (fault) {
		case 'apiserver': {
			if (!hasRole(node, 'control-plane')) {
				throw new UserError(
					`the VIP holder ${node.name} is not a control plane, so it runs no kube-apiserver to stop; --fault apiserver needs the load balancer on the control planes. Use --fault haproxy, keepalived or node.`,
				);
			}

			const url = `${httpsUrl(node.address, spec.apiServer.bindPort)}/healthz`;
			const healthz = sh`curl --silent --fail --cacert ${clusterCaPath} --max-time 2 --output /dev/null ${url}`;
			return {
				fault,
				node,
				...staticPodFault('kube-apiserver'),
				delaySeconds: 0,
				// The kubelet takes a while to end the pod; the drill waits until nothing listens on the port.
				pieceCheck: listening(spec.apiServer.bindPort),
				faultFrom: 'inject-end',
				upCheck: healthz,
				vipMoves: false,
			};
		}

		case 'haproxy': {
			return {fault, node, ...serviceFault(spec, 'haproxy', listening(port)), vipMoves: true};
		}

		case 'keepalived': {
			// A graceful stop: keepalived sends priority-0 adverts as it goes, and a backup takes over at once.
			return {fault, node, ...serviceFault(spec, 'keepalived', 'pgrep -x keepalived >/dev/null'), vipMoves: true};
		}

		case 'node': {
			return {fault, node, ...nodeFault(spec, node), vipMoves: true};
		}
	}
}
