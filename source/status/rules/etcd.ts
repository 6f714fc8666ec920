import type {ClusterSpec} from '../../spec/cluster.ts';
import {etcdViewOf} from '../etcd-view.ts';
import type {ClusterStatus, Problem} from '../types.ts';

/** How to look at an etcd member, as the topology runs it. */
const lookAt = (spec: ClusterSpec, node: string): string =>
	spec.etcd.topology === 'external'
		? `\`systemctl status etcd\` and \`journalctl -u etcd\` on ${node}`
		: `the etcd static pod on ${node} (\`crictl ps -a --name etcd\`, \`crictl logs\`)`;

/** etcd members that do not answer or are unhealthy, members without a leader, and members naming different leaders. */
export function etcdProblems(status: ClusterStatus, spec: ClusterSpec): Problem[] {
	const view = etcdViewOf(status);
	if (view.unseen) {
		return [];
	}

	const silent = view.silent.map(({node, error}) => ({
		node,
		what: `etcd member ${node} does not answer`,
		why: `its client URL (port 2379) with the healthcheck client certificate: ${error}`,
		fix: `${lookAt(spec, node)}; with ${view.answered.length} of ${view.answered.length + view.silent.length} members answering, the cluster keeps its quorum only while a majority runs.`,
	}));
	const unhealthy = view.answered.flatMap(({node, member}) => {
		if (member.leaderId === '0') {
			return [
				{
					node,
					what: `etcd member ${node} has no leader`,
					why: 'its status names no leader: it cannot reach a majority of the members',
					fix: `check that port 2380 is open between the etcd members, and ${lookAt(spec, node)}.`,
				},
			];
		}

		return member.healthy
			? []
			: [
					{
						node,
						what: `etcd member ${node} is unhealthy`,
						why: 'its /health check fails: a read through the quorum did not go through',
						fix: `${lookAt(spec, node)}; check that port 2380 is open between the etcd members.`,
					},
				];
	});
	const split =
		view.leaderIds.length > 1
			? [
					{
						what: `the etcd members name ${view.leaderIds.length} different leaders`,
						why: view.answered.map(({node, member}) => `${node} follows ${member.leaderId}`).join(', '),
						fix: 'the members do not form one cluster: check ETCD_INITIAL_CLUSTER on each and that port 2380 is open between them.',
					},
				]
			: [];
	return [...silent, ...unhealthy, ...split];
}
