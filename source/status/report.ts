import {type ClusterSpec, controlPlanes} from '../spec/cluster.ts';
import {type Cell, cell} from './cell.ts';
import {type EtcdView, etcdViewOf} from './etcd-view.ts';
import {factsOf} from './facts.ts';
import {type NodeParts, partsOf} from './host-probe.ts';
import {problemsOf, warningsOf} from './problems.ts';
import {degradedBelowSeconds, warnBelowSeconds} from './rules/certificates.ts';
import {backendUp} from './rules/haproxy.ts';
import type {ClusterStatus, HostStatus, Problem} from './types.ts';
import {vipHoldersOf} from './vip-holders.ts';

/** What the table and the live view show: the same words everywhere. */
export type StatusReport = {
	readonly cluster: string;
	readonly checkedAt: string;
	/** Column headings; columns no node has a part in are left out (no keepalived with kube-vip). */
	readonly columns: readonly string[];
	/** A row per node, a cell per column. */
	readonly rows: readonly (readonly Cell[])[];
	/** Cluster-wide lines: the VIP, the API, nodes, leaders, etcd. */
	readonly facts: readonly {readonly label: string; readonly value: Cell}[];
	readonly problems: readonly Problem[];
	/** Not degraded yet: certificates with less than 30 days left. */
	readonly warnings: readonly Problem[];
};

type Context = {readonly spec: ClusterSpec; readonly status: ClusterStatus; readonly etcd: EtcdView};

/** A column of the table: the part of a node it shows, and its cell for a node that was asked. */
type Column = {
	readonly heading: string;
	readonly part?: keyof NodeParts;
	readonly cell: (host: HostStatus, context: Context) => Cell;
};

const columns: readonly Column[] = [
	{heading: 'NODE', cell: (host) => cell(host.node)},
	{heading: 'SSH', cell: (host) => (host.reachable ? cell('ok', 'ok') : cell('unreachable', 'bad'))},
	{
		heading: 'VIP',
		part: 'vip',
		cell: (host, {status}) =>
			host.vipHeld ? cell('held', vipHoldersOf(status).length === 1 ? 'ok' : 'bad') : cell(''),
	},
	{heading: 'KEEPALIVED', part: 'loadBalancer', cell: (host) => keepalivedCell(host)},
	{heading: 'HAPROXY', part: 'loadBalancer', cell: (host, {spec}) => haproxyCell(host, controlPlanes(spec).length)},
	{
		heading: 'APISERVER',
		part: 'apiServer',
		cell: (host) => (host.apiServer?.healthy ? cell('ok', 'ok') : cell('unhealthy', 'bad')),
	},
	{heading: 'ETCD', part: 'etcd', cell: (host, {etcd}) => etcdCell(host, etcd)},
	{heading: 'CERTS', part: 'apiServer', cell: (host) => certificatesCell(host)},
];

/** The column's cell for a node: `?` for a part of a node that could not be asked, undefined for no such part. */
function cellOf(column: Column, host: HostStatus, parts: NodeParts | undefined, context: Context): Cell | undefined {
	if (column.part === undefined) {
		return column.cell(host, context);
	}

	if (!parts?.[column.part]) {
		return undefined;
	}

	return host.reachable ? column.cell(host, context) : cell('?', 'unknown');
}

function keepalivedCell({loadBalancer}: HostStatus): Cell {
	const keepalived = loadBalancer?.keepalived;
	if (!keepalived?.running) {
		return cell('not running', 'bad');
	}

	const {instance} = keepalived;
	if (instance === undefined) {
		return cell('unknown', 'unknown');
	}

	const lowered = instance.effectivePriority < instance.basePriority;
	const priority = lowered ? `${instance.effectivePriority}/${instance.basePriority}` : `${instance.effectivePriority}`;
	const tone =
		lowered || instance.state === 'FAULT' ? 'bad' : ['MASTER', 'BACKUP'].includes(instance.state) ? 'ok' : 'unknown';
	return cell(`${instance.state} ${priority}`, tone);
}

function haproxyCell({loadBalancer}: HostStatus, expected: number): Cell {
	const haproxy = loadBalancer?.haproxy;
	if (!haproxy?.answered) {
		return cell('no answer', 'bad');
	}

	const down = haproxy.backends.filter((backend) => !backendUp(backend));
	const up = haproxy.backends.length - down.length;
	const text = [`${up}/${haproxy.backends.length} UP`, ...down.map((backend) => `${backend.server} ${backend.status}`)];
	return cell(text.join(', '), down.length === 0 && haproxy.backends.length === expected ? 'ok' : 'bad');
}

function etcdCell({etcd: member}: HostStatus, view: EtcdView): Cell {
	if (!member?.answered) {
		return cell('no answer', view.unseen ? 'unknown' : 'bad');
	}

	if (member.leaderId === '0') {
		return cell('no leader', 'bad');
	}

	const role = member.memberId === member.leaderId ? 'leader' : 'follower';
	return member.healthy ? cell(role, 'ok') : cell(`${role}, unhealthy`, 'bad');
}

/** The earliest of the control plane's kubeadm certificates: its time left by the node's clock, and its name. */
function certificatesCell({certificates}: HostStatus): Cell {
	if (!certificates?.answered) {
		return cell('unknown', 'unknown');
	}

	const {earliest} = certificates;
	const left = earliest.residualSeconds < 0 ? 'expired' : earliest.residual;
	const tone =
		earliest.residualSeconds < degradedBelowSeconds
			? 'bad'
			: earliest.residualSeconds < warnBelowSeconds
				? 'warn'
				: 'ok';
	return cell(`${left} ${earliest.name}`, tone);
}

/** The report of a probed cluster: its table, its cluster-wide facts and its problems (problemsOf). */
export function statusReport(status: ClusterStatus, spec: ClusterSpec): StatusReport {
	const etcd = etcdViewOf(status);
	const context = {spec, status, etcd};
	const parts = status.hosts.map((host) => {
		const node = spec.nodes.find((candidate) => candidate.name === host.node);
		return node && partsOf(spec, node);
	});
	// A column is shown when some node has that part.
	const shown = columns
		.map((column) => ({
			heading: column.heading,
			cells: status.hosts.map((host, row) => cellOf(column, host, parts[row], context)),
		}))
		.filter((column) => column.cells.some((value) => value !== undefined));
	return {
		cluster: status.cluster,
		checkedAt: status.checkedAt,
		columns: shown.map((column) => column.heading),
		rows: status.hosts.map((_, row) => shown.map((column) => column.cells[row] ?? cell('–'))),
		facts: factsOf(status, spec, etcd),
		problems: problemsOf(status, spec),
		warnings: warningsOf(status, spec),
	};
}
