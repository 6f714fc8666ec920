import type {ClusterSpec} from '../../spec/cluster.ts';
import type {ClusterStatus, Problem} from '../types.ts';

/** A control plane whose own API server does not answer /healthz with ok. */
export const apiServerProblems = (status: ClusterStatus, spec: ClusterSpec): Problem[] =>
	status.hosts.flatMap((host) =>
		host.apiServer === undefined || host.apiServer.healthy
			? []
			: [
					{
						node: host.node,
						what: `the API server on ${host.node} is unhealthy`,
						why: `GET https://${host.address}:${spec.apiServer.bindPort}/healthz: ${host.apiServer.detail}`,
						fix: `on ${host.node}: \`crictl ps -a --name kube-apiserver\`, \`crictl logs <its id>\`, and \`journalctl -u kubelet\` (the kubelet runs it as a static pod from /etc/kubernetes/manifests).`,
					},
				],
	);
