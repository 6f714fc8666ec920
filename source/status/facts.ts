import {type ClusterSpec, vipAddress} from '../spec/cluster.ts';
import {type Cell, cell} from './cell.ts';
import type {EtcdView} from './etcd-view.ts';
import {holderNode} from './lease-holder.ts';
import type {ClusterStatus, KubernetesStatus, LeaseStatus} from './types.ts';
import {vipHoldersOf} from './vip-holders.ts';

function vipFact(status: ClusterStatus, spec: ClusterSpec): Cell | undefined {
	const vip = vipAddress(spec);
	if (vip === undefined || spec.loadBalancer.mode === 'external') {
		return undefined;
	}

	const holders = vipHoldersOf(status).map((host) => host.node);
	if (holders.length === 0) {
		return cell(`${vip} on no node`, 'bad');
	}

	return cell(`${vip} on ${holders.join(', ')}`, holders.length === 1 ? 'ok' : 'bad');
}

function apiFact(kubernetes: KubernetesStatus): Cell {
	if (kubernetes.answered) {
		return cell(`${kubernetes.server} answers`, 'ok');
	}

	return kubernetes.kubeconfig === 'missing'
		? cell(`not asked: no kubeconfig at ${kubernetes.path} (kubeha apply fetches it)`, 'unknown')
		: cell(`${kubernetes.server}: ${kubernetes.error}`, 'bad');
}

function leaseFact(status: ClusterStatus, lease: LeaseStatus): Cell {
	if (lease.holderIdentity === undefined) {
		return cell('no leader', 'bad');
	}

	const holder = holderNode(status, lease.holderIdentity) ?? lease.holderIdentity;
	const renewed = lease.renewedSecondsAgo === undefined ? '' : ` (renewed ${lease.renewedSecondsAgo} s ago)`;
	return cell(`leader ${holder}${renewed}`, 'ok');
}

function etcdFact(view: EtcdView): Cell {
	const total = view.answered.length + view.silent.length;
	if (total === 0) {
		return cell('not asked: no etcd member could be reached over ssh', 'unknown');
	}

	if (view.unseen) {
		return cell(
			`unknown: no member answered kubeha (${view.silent[0]?.error}), while the API servers answer /healthz, which checks their etcd`,
			'unknown',
		);
	}

	const healthy = view.answered.filter(({member}) => member.healthy && member.leaderId !== '0').length;
	return cell(
		`leader ${view.leader ?? 'unknown'}, ${healthy}/${total} members healthy`,
		healthy === total && view.leader !== undefined ? 'ok' : 'bad',
	);
}

/** The cluster-wide lines under the table: the VIP, the API, nodes, leaders, etcd. */
export function factsOf(status: ClusterStatus, spec: ClusterSpec, etcd: EtcdView): {label: string; value: Cell}[] {
	const {kubernetes} = status;
	const vip = vipFact(status, spec);
	const nodes = kubernetes.answered ? kubernetes.nodes : undefined;
	const notReady = nodes?.filter((node) => node.ready !== 'True').map((node) => `${node.name} ${node.ready}`) ?? [];
	return [
		...(vip ? [{label: 'VIP', value: vip}] : []),
		{label: 'API', value: apiFact(kubernetes)},
		...(nodes
			? [
					{
						label: 'nodes',
						value: cell(
							[`${nodes.length - notReady.length}/${nodes.length} Ready`, ...notReady].join(', '),
							notReady.length === 0 ? 'ok' : 'bad',
						),
					},
				]
			: []),
		...(kubernetes.answered
			? kubernetes.leases.map((lease) => ({label: lease.name, value: leaseFact(status, lease)}))
			: []),
		{label: 'etcd', value: etcdFact(etcd)},
	];
}
