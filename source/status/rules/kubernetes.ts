import {type ClusterSpec, runsKubelet} from '../../spec/cluster.ts';
import {holderNode, leaseClockSlackSeconds} from '../lease-holder.ts';
import type {ClusterStatus, LeaseStatus, Problem} from '../types.ts';

/**
Through the Kubernetes API: the API not answering through the control plane endpoint, nodes missing or not
Ready, and leader leases nobody holds. Without the kubeconfig kubeha apply fetches, the API was not asked.
*/
export function kubernetesProblems(status: ClusterStatus, spec: ClusterSpec): Problem[] {
	const {kubernetes} = status;
	if (!kubernetes.answered) {
		return kubernetes.kubeconfig === 'missing'
			? []
			: [
					{
						what: `the Kubernetes API does not answer through ${kubernetes.server}`,
						why: kubernetes.error,
						fix: 'this is the endpoint every client and kubelet uses: see the VIP, haproxy and apiserver columns for the part that fails.',
					},
				];
	}

	const nodes = spec.nodes
		.filter((node) => runsKubelet(node))
		.flatMap((node): Problem[] => {
			const readiness = kubernetes.nodes.find((candidate) => candidate.name === node.name);
			if (readiness === undefined) {
				return [
					{
						node: node.name,
						what: `${node.name} is not a node of the cluster`,
						why: 'the API lists no Node of that name: it never joined, or it was deleted',
						fix: 'run `kubeha apply`, which joins it.',
					},
				];
			}

			return readiness.ready === 'True'
				? []
				: [
						{
							node: node.name,
							what: `${node.name} is not Ready (${readiness.ready})`,
							why: readiness.reason ?? 'its Ready condition is not True',
							fix: `on ${node.name}: \`systemctl status kubelet\`, \`journalctl -u kubelet\`; a node stays NotReady until the network plugin's pods run on it.`,
						},
					];
		});
	return [...nodes, ...kubernetes.leases.flatMap((lease) => leaseProblems(status, lease))];
}

function leaseProblems(status: ClusterStatus, lease: LeaseStatus): Problem[] {
	const component = lease.name;
	const fix = `check the ${component} static pods on the control planes (\`crictl ps -a --name ${component}\`, \`crictl logs\`).`;
	if (lease.holderIdentity === undefined) {
		return [
			{
				what: `${component} has no leader`,
				why: `the kube-system/${component} lease has no holder: no ${component} has been elected`,
				fix,
			},
		];
	}

	const {renewedSecondsAgo, durationSeconds} = lease;
	if (
		renewedSecondsAgo === undefined ||
		durationSeconds === undefined ||
		renewedSecondsAgo <= durationSeconds + leaseClockSlackSeconds
	) {
		return [];
	}

	const holder = holderNode(status, lease.holderIdentity);
	return [
		{
			...(holder === undefined ? {} : {node: holder}),
			what: `${component}'s leader lease expired`,
			why: `its holder ${lease.holderIdentity}${holder ? ` (${holder})` : ''} last renewed it ${renewedSecondsAgo} s ago, for ${durationSeconds} s, and no other ${component} took it over`,
			fix: `${fix} Clocks apart also look like this: compare \`date\` here and on the control planes.`,
		},
	];
}
