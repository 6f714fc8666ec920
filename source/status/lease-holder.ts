import type {ClusterStatus} from './types.ts';

/**
The node a leader lease's holder runs on. kube-controller-manager and kube-scheduler name themselves
`<hostname>_<uuid>`, by the host's own hostname, which need not be the node's name in the spec: the probe read
each host's hostname. Undefined when no node matches (a host that could not be asked).
*/
export function holderNode(status: ClusterStatus, identity: string): string | undefined {
	const hostname = identity.split('_')[0] ?? identity;
	return status.hosts.find((host) => host.hostname === hostname || host.node === hostname)?.node;
}

/** Grace beyond a lease's duration before kubeha calls it expired: the holder's and this machine's clocks differ. */
export const leaseClockSlackSeconds = 10;
