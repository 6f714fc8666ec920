import {etcdctlFlags} from '../../steps/scripts/etcd.ts';
import {etcdClientUrl} from '../render/etcd.ts';
import {sh} from '../runner/shell.ts';
import {type ClusterSpec, etcdMembers} from '../spec/cluster.ts';
import type {NodeSpec} from '../spec/schema.ts';

/**
How kubeha reaches one etcd member to snapshot it: bash, run first, that defines `kubeha_etcdctl ARGS…`
(etcdctl with the healthcheck client certificate, against this member only) and `kubeha_snapshot_status FILE`
(the snapshot's hash, revision and key count as one line of JSON).
*/
export type EtcdAccess = {
	readonly node: NodeSpec;
	readonly prelude: string;
	/**
	A directory on the host where the tool can write a snapshot, made private with mktemp; the snapshot is moved
	out of it at once.
	*/
	readonly scratchDirectory: string;
	/** What the node needs for this access, for messages when it fails. */
	readonly requirement: string;
};

/**
External members: etcdctl on the host (kubeha's etcd step installs it with etcd). `snapshot status` belongs to
etcdutl since etcd 3.5 (etcdctl's was removed in 3.6); Debian 12's etcd 3.4 has only etcdctl's.
*/
function hostAccess(node: NodeSpec): EtcdAccess {
	return {
		node,
		prelude: [
			`kubeha_etcdctl() { ETCDCTL_API=3 etcdctl ${etcdctlFlags(etcdClientUrl(node))} "$@"; }`,
			'kubeha_snapshot_status() {',
			'\tif command -v etcdutl >/dev/null; then etcdutl snapshot status "$1" -w json',
			'\telse ETCDCTL_API=3 etcdctl snapshot status "$1" -w json; fi',
			'}',
		].join('\n'),
		scratchDirectory: '/var/tmp',
		requirement: 'etcdctl on the node (kubeha apply installs it with etcd) and a healthy etcd member',
	};
}

const crictl = 'crictl --runtime-endpoint unix:///run/containerd/containerd.sock';
/** kubeadm mounts the data directory into its etcd pod at the same path: the one place both sides can write. */
const stackedDataDirectory = '/var/lib/etcd';

/**
Stacked members: kubeadm nodes have no etcdctl of their own, but crictl (cri-tools, which the kubeadm package
depends on) and the etcd static pod, whose image carries etcdctl and etcdutl. The pod mounts the certificates
and the data directory at their host paths, so commands run in it see the same files.
*/
function staticPodAccess(node: NodeSpec): EtcdAccess {
	const container = `${crictl} ps --name ${sh`${'^etcd$'}`} --state running --quiet | head -n 1`;
	const missing = `kubeha: no running etcd container on ${node.name} (crictl ps --name etcd): kubeadm's etcd static pod must run there; check \`crictl ps -a\` and \`journalctl -u kubelet\`.`;
	return {
		node,
		prelude: [
			`kubeha_etcd_container=$(${container})`,
			`if [ -z "$kubeha_etcd_container" ]; then ${sh`echo ${missing}`} >&2; exit 1; fi`,
			`kubeha_etcdctl() { ${crictl} exec "$kubeha_etcd_container" etcdctl ${etcdctlFlags('https://127.0.0.1:2379')} "$@"; }`,
			`kubeha_snapshot_status() { ${crictl} exec "$kubeha_etcd_container" etcdutl snapshot status "$1" -w json; }`,
		].join('\n'),
		scratchDirectory: stackedDataDirectory,
		requirement: "crictl and a running etcd static pod (kubeadm's stacked etcd)",
	};
}

/** Every member a snapshot can be taken on, in the spec's order, each with its way in. */
export const etcdAccesses = (spec: ClusterSpec): EtcdAccess[] =>
	etcdMembers(spec).map((node) => (spec.etcd.topology === 'external' ? hostAccess(node) : staticPodAccess(node)));
