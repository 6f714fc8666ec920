import type {ClusterStatus, EtcdMemberStatus} from './types.ts';

type Answered = Extract<EtcdMemberStatus, {answered: true}>;

/** The etcd members as kubeha saw them, for the etcd rule and the views. */
export type EtcdView = {
	/** Members that answered, by node. */
	readonly answered: readonly {readonly node: string; readonly member: Answered}[];
	/** Members asked over ssh whose etcd did not answer, with the error. */
	readonly silent: readonly {readonly node: string; readonly error: string}[];
	/**
	No member answered kubeha while an API server answers /healthz, which includes its etcd check: etcd is there
	for the API servers but out of kubeha's sight (certificates or tools kubeha expects are missing), so its
	members' health is unknown rather than down.
	*/
	readonly unseen: boolean;
	/** The node whose member the others name as leader, when it answered too. */
	readonly leader?: string;
	/** The distinct leader ids the members name (`0`, no leader, left out). */
	readonly leaderIds: readonly string[];
};

export function etcdViewOf(status: ClusterStatus): EtcdView {
	const answered = status.hosts.flatMap((host) => (host.etcd?.answered ? [{node: host.node, member: host.etcd}] : []));
	const silent = status.hosts.flatMap((host) =>
		host.etcd && !host.etcd.answered ? [{node: host.node, error: host.etcd.error}] : [],
	);
	const apiServerHealthy = status.hosts.some((host) => host.apiServer?.healthy === true);
	const leaderIds = [...new Set(answered.map(({member}) => member.leaderId))].filter((id) => id !== '0');
	const leader = answered.find(({member}) => leaderIds.length === 1 && member.memberId === leaderIds[0])?.node;
	return {
		answered,
		silent,
		unseen: answered.length === 0 && silent.length > 0 && apiServerHealthy,
		...(leader === undefined ? {} : {leader}),
		leaderIds,
	};
}
