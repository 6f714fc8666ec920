import {etcdHealthTask} from '../../steps/scripts/etcd.ts';
import {
	etcdClusterToken,
	etcdDataDirectory,
	etcdEnvironmentPath,
	etcdInitialCluster,
	etcdPeerUrl,
} from '../render/etcd.ts';
import {sh} from '../runner/shell.ts';
import {type ClusterSpec, etcdMembers} from '../spec/cluster.ts';
import type {NodeSpec} from '../spec/schema.ts';

/**
One external member in a restore: the identity it gets back (the name, peer URL and initial cluster its
environment file gives it, so the unit starts it unchanged) and where its data goes.
*/
export type RestoreMember = {
	readonly node: NodeSpec;
	/** Where the snapshot is uploaded to, in a directory of its own. */
	readonly upload: string;
	/** The data directory restored from the snapshot, before it takes the live one's place. */
	readonly staged: string;
	/** Where the data directory in use before the restore is kept. */
	readonly previous: string;
};

/** The members of an external etcd cluster, for a restore that runs at `stamp` (a time stamp, unique per run). */
export const restoreMembers = (spec: ClusterSpec, stamp: string): RestoreMember[] =>
	etcdMembers(spec).map((node) => ({
		node,
		upload: `/var/tmp/kubeha-restore-${stamp}/snapshot.db`,
		staged: `${etcdDataDirectory}.kubeha-restore-${stamp}`,
		previous: `${etcdDataDirectory}.kubeha-before-restore-${stamp}`,
	}));

/** Fails, saying what is missing, unless the member is an etcd kubeha installed, ready for the restore. */
export function restoreCheckScript(member: RestoreMember): string {
	const name = member.node.name;
	const need = (test: string, missing: string) =>
		`if ! { ${test}; }; then ${sh`echo ${`kubeha: ${missing}`}`} >&2; exit 1; fi`;
	return [
		need(
			'command -v etcdutl >/dev/null || command -v etcdctl >/dev/null',
			`${name} has neither etcdutl nor etcdctl, which restore the snapshot: install etcd's client (kubeha apply does).`,
		),
		need(
			sh`[ -f ${etcdEnvironmentPath} ]`,
			`${name} has no ${etcdEnvironmentPath}: kubeha restores members that kubeha apply set up; run it first.`,
		),
		need(
			sh`[ -d ${etcdDataDirectory} ]`,
			`${name} has no ${etcdDataDirectory}: there is no member to restore here; run kubeha apply first.`,
		),
		need(
			sh`[ ! -e ${member.staged} ] && [ ! -e ${member.previous} ] && [ ! -e "$(dirname -- ${member.upload})" ]`,
			`${name} already has ${member.staged}, ${member.previous} or the upload directory of this run's time stamp: wait a second and run kubeha restore again.`,
		),
	].join('\n');
}

/** A private directory for the upload. */
export const uploadDirectoryScript = (member: RestoreMember): string =>
	sh`mkdir -m 0700 -- "$(dirname -- ${member.upload})"`;

/** The snapshot's status with the member's own tools, as JSON: etcdutl, or etcdctl before etcd 3.5. */
export const uploadedStatusScript = (member: RestoreMember): string =>
	[
		sh`if command -v etcdutl >/dev/null; then etcdutl snapshot status ${member.upload} -w json`,
		sh`else ETCDCTL_API=3 etcdctl snapshot status ${member.upload} -w json; fi`,
	].join('\n');

export const stopEtcdScript = 'systemctl stop etcd';

/**
Far more writes than a cluster makes between a backup and its restore: the restored revisions then stay above any
revision a Kubernetes client saw before, and --mark-compacted ends the watches that knew the newer history.
*/
const revisionBump = 1_000_000_000;

/**
Restores the snapshot into the staged data directory with the member's identity. etcdutl has restored since
etcd 3.5 (etcdctl's restore was removed in 3.6); the revision flags only where the tool has them (etcd 3.5.10+
and 3.6; Debian 12's 3.4 has not).
*/
export function stageRestoreScript(spec: ClusterSpec, member: RestoreMember): string {
	return [
		'if command -v etcdutl >/dev/null; then kubeha_tool=(etcdutl); else kubeha_tool=(env ETCDCTL_API=3 etcdctl); fi',
		// biome-ignore lint/suspicious/noTemplateCurlyInString: bash array expansion
		'kubeha_help=$("${kubeha_tool[@]}" snapshot restore --help 2>&1 || true)',
		'kubeha_revision=()',
		`case "$kubeha_help" in *--mark-compacted*) kubeha_revision=(--bump-revision ${revisionBump} --mark-compacted) ;; esac`,
		[
			`"\${kubeha_tool[@]}" snapshot restore ${sh`${member.upload}`}`,
			sh`--name ${member.node.name}`,
			sh`--initial-cluster ${etcdInitialCluster(spec)}`,
			sh`--initial-cluster-token ${etcdClusterToken(spec)}`,
			sh`--initial-advertise-peer-urls ${etcdPeerUrl(member.node)}`,
			sh`--data-dir ${member.staged}`,
			// biome-ignore lint/suspicious/noTemplateCurlyInString: bash array expansion
			'"${kubeha_revision[@]}" >&2',
		].join(' '),
	].join('\n');
}

/** Removes what a restore staged, when the restore stops before the swap. */
export const unstageScript = (member: RestoreMember): string => sh`rm -rf -- ${member.staged}`;

/** The restored data takes the place of the live data directory, which is kept. */
export const swapScript = (member: RestoreMember): string =>
	sh`mv -- ${etcdDataDirectory} ${member.previous} && mv -- ${member.staged} ${etcdDataDirectory}`;

/** Starts the member without waiting (it reports ready only once a quorum runs) and waits, bounded, for its health. */
export const startEtcdScript = (member: RestoreMember): string =>
	['systemctl start --no-block etcd', etcdHealthTask(member.node).act].join('\n');

export const removeUploadScript = (member: RestoreMember): string => sh`rm -rf -- "$(dirname -- ${member.upload})"`;
