import {etcdDataDirectory, etcdEnvironmentPath, etcdPeerUrl, etcdUnitPath} from '../../source/render/etcd.ts';
import {sh} from '../../source/runner/shell.ts';
import {previousVersionPath} from '../../source/runner/write-file.ts';
import {type ClusterSpec, etcdMembers} from '../../source/spec/cluster.ts';
import type {NodeSpec} from '../../source/spec/schema.ts';
import {etcdClientUrls, etcdctlFlags, etcdHealthCommand, healthWaitFailure, healthWaitOptions} from './etcd.ts';
import {indent, type Task, unchanged, waitUntil} from './tasks.ts';

/** Where a joining member finds `ETCD_INITIAL_CLUSTER_STATE=existing`: a drop-in, so etcd.env stays as rendered. */
export const etcdJoinEnvironmentPath = '/etc/etcd/kubeha-join.env';
export const etcdJoinDropInPath = '/etc/systemd/system/etcd.service.d/kubeha-join.conf';

/** A member that has bootstrapped keeps its identity and the member list here; ETCD_INITIAL_* are ignored then. */
const memberDirectory = `${etcdDataDirectory}/member`;

/**
Bash: true when another member says it is healthy, i.e. the etcd cluster has a leader without this node. Then
this node may take part only one at a time: a restart or a join must not cost the quorum.
*/
function quorumElsewhere(others: readonly NodeSpec[]): string {
	if (others.length === 0) {
		return 'false';
	}

	return others
		.map(
			(other) =>
				`ETCDCTL_API=3 etcdctl ${etcdctlFlags(etcdClientUrls([other]))} --dial-timeout 2s --command-timeout 3s endpoint health >/dev/null 2>&1`,
		)
		.join(' || ');
}

/**
`name=peer URL,…` of the members in `member list -w simple` (`id, status, name, peer URLs, client URLs, learner`),
the joining member (still unnamed: it never started) by its own name. An empty name stays empty: the caller refuses.
*/
const initialClusterProgram = [
	'NF >= 4 {',
	'\tname = index("," $4 ",", "," url ",") > 0 ? me : $3',
	'\tcount = split($4, urls, ",")',
	'\tfor (i = 1; i <= count; i++) { printf "%s%s=%s", separator, name, urls[i]; separator = "," }',
	'}',
].join('\n');

/**
Bash that makes this node (no etcd data yet, a cluster with quorum elsewhere) a member: `member add` unless the
cluster lists it already, then a drop-in that starts it with `ETCD_INITIAL_CLUSTER_STATE=existing` and the
cluster's members as they are now (etcd refuses to join when ETCD_INITIAL_CLUSTER differs from them). A member of
the first member list that never started needs neither: it bootstraps with the rendered etcd.env.
*/
function joinScript(node: NodeSpec, others: readonly NodeSpec[]): string {
	const etcdctl = `ETCDCTL_API=3 etcdctl ${etcdctlFlags(etcdClientUrls(others))} --command-timeout 10s`;
	const peerUrl = etcdPeerUrl(node);
	const listed = `printf '%s\\n' "$kubeha_members" | awk -F ', ' ${sh`-v url=${peerUrl}`} 'index("," $4 ",", "," url ",") > 0 {print $2}'`;
	return [
		`kubeha_members=$(${etcdctl} member list -w simple)`,
		`kubeha_listed=$(${listed})`,
		'case "$kubeha_listed" in',
		`\tstarted) ${sh`echo ${`kubeha: ${node.name} is in the etcd cluster's first member list; it starts as one of them`}`} ;;`,
		`\tunstarted) ${sh`echo ${`kubeha: ${node.name} was added to the etcd cluster already (member add); it starts now`}`} ;;`,
		'\t*)',
		`\t\t${sh`echo ${`kubeha: adding ${node.name} to the etcd cluster (etcdctl member add)`}`}`,
		`\t\t${etcdctl} ${sh`member add ${node.name} --peer-urls ${peerUrl}`}`,
		`\t\tkubeha_members=$(${etcdctl} member list -w simple)`,
		'\t\t;;',
		'esac',
		'if [ "$kubeha_listed" != started ]; then',
		`\tkubeha_initial=$(printf '%s\\n' "$kubeha_members" | awk -F ', ' ${sh`-v me=${node.name} -v url=${peerUrl} ${initialClusterProgram}`})`,
		'\tcase ",$kubeha_initial" in',
		`\t\t*,=*) ${sh`echo ${`kubeha: the etcd cluster lists a member that never started besides ${node.name} (a join cut short?). Two members that do not vote can cost the quorum: start that member, or remove it with \`etcdctl member remove <ID>\` on a member (\`etcdctl member list\` shows it), then apply again.`}`} >&2; exit 1 ;;`,
		'\tesac',
		sh`\tmkdir -p -- ${etcdJoinDropInPath.replace(/\/[^/]+$/, '')}`,
		`\tprintf 'ETCD_INITIAL_CLUSTER=%s\\nETCD_INITIAL_CLUSTER_STATE=existing\\n' "$kubeha_initial" > ${sh`${etcdJoinEnvironmentPath}`}`,
		`\tprintf '[Service]\\nEnvironmentFile=%s\\n' ${sh`${etcdJoinEnvironmentPath} > ${etcdJoinDropInPath}`}`,
		'\tsystemctl daemon-reload',
		'fi',
		etcdStart,
	].join('\n');
}

/** Starts etcd on our files; the distribution's package may have started its own (on localhost), which this replaces. */
const etcdStart =
	'if systemctl is-active --quiet etcd; then systemctl restart --no-block etcd; else systemctl start --no-block etcd; fi';

/** Bash: the join's drop-in gone once the member runs, so etcd.env alone says how the member is configured. */
const joinCleanup = [
	sh`if [ -e ${etcdJoinDropInPath} ]; then`,
	sh`\trm -f -- ${etcdJoinDropInPath} ${etcdJoinEnvironmentPath}`,
	'\tsystemctl daemon-reload',
	'fi',
].join('\n');

/**
etcd reads ETCD_INITIAL_* only when it bootstraps a member: a change to those lines alone (a member added or removed
elsewhere) leaves a running member as it is. Any other change to etcd.env needs a restart.
*/
function settingsUnchanged(): string {
	const previous = previousVersionPath(etcdEnvironmentPath);
	const settings = (path: string) => sh`"$(grep -v '^ETCD_INITIAL_' -- ${path})"`;
	return `{ ${sh`! kubeha_changed ${etcdEnvironmentPath}`} || [ ${settings(etcdEnvironmentPath)} = ${settings(previous)} ]; }`;
}

/**
etcd enabled and running the current files, one member at a time. When the rest of the cluster has quorum, a
member is restarted (or added, see `joinScript`) and waited for until healthy before the next one is touched, so
the cluster never loses two members to kubeha. When no other member answers (a first install, or a cluster
that was all down), the member is started without waiting: it reports ready only once a quorum of its peers
runs, and etcd-health waits for the cluster.
*/
export function etcdServiceTask(spec: ClusterSpec, node: NodeSpec, files: readonly string[]): Task {
	const others = etcdMembers(spec).filter((member) => member.name !== node.name);
	const health = etcdHealthCommand(node);
	return {
		what: `etcd enabled and running the current ${[etcdEnvironmentPath, etcdUnitPath].join(', ')} and certificates`,
		check: [
			'systemctl is-enabled --quiet etcd',
			'systemctl is-active --quiet etcd',
			unchanged(files.filter((path) => path !== etcdEnvironmentPath)),
			settingsUnchanged(),
		].join(' && '),
		act: [
			'systemctl enable etcd',
			`if ${quorumElsewhere(others)}; then`,
			sh`\tif [ -d ${memberDirectory} ]; then`,
			`\t\t${sh`echo ${`kubeha: restarting etcd on ${node.name}; the other members keep the quorum meanwhile`}`}`,
			// Blocking: the old process is gone (and the new one ready) before the health check below can answer.
			'\t\tsystemctl restart etcd',
			'\telse',
			indent(joinScript(node, others), 2),
			'\tfi',
			indent(waitUntil(health, {...healthWaitOptions, failure: healthWaitFailure(node)}), 1),
			indent(joinCleanup, 1),
			'else',
			indent(etcdStart, 1),
			'fi',
		].join('\n'),
	};
}
