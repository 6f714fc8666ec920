import {etcdClientUrl} from '../../source/render/etcd.ts';
import {kubeadmInitPath} from '../../source/render/kubeadm.ts';
import {sh} from '../../source/runner/shell.ts';
import {previousVersionPath} from '../../source/runner/write-file.ts';
import {type ClusterSpec, etcdMembers} from '../../source/spec/cluster.ts';
import type {NodeSpec} from '../../source/spec/schema.ts';
import {stateFiles} from './facts.ts';
import {kubectlOn} from './kubeadm.ts';
import {type Task, waitUntil} from './tasks.ts';

/** The external etcd members' client URLs in spec order: what kubeadm's ClusterConfiguration lists. */
export const etcdEndpoints = (spec: ClusterSpec): string[] => etcdMembers(spec).map((node) => etcdClientUrl(node));

/** The kube-apiserver flag, as kubeadm writes it: one `- --etcd-servers=URL,URL` item of the container's command. */
const flagPattern = '/^[ \\t]*- --etcd-servers=/';

/** awk printing the value of the manifest's `--etcd-servers=` item (nothing when it has none). */
export const etcdServersOfManifest = `sub(${flagPattern}, "") { print; exit }`;

/** awk that sets that value to $KUBEHA_ETCD_SERVERS and leaves every other line of the manifest as it was. */
export const setEtcdServers = `!done && match($0, ${flagPattern}) { $0 = substr($0, 1, RLENGTH) ENVIRON["KUBEHA_ETCD_SERVERS"]; done = 1 } { print }`;

/**
awk printing `etcd.external.endpoints` of a ClusterConfiguration, comma-separated: the block YAML kubeadm writes
(list items at the key's indentation, or deeper as other writers put them), by indentation, comments and blank
lines skipped.
*/
export const externalEtcdEndpoints = [
	'function indentOf(line) { match(line, /^ */); return RLENGTH }',
	'/^[ \\t]*(#.*)?$/ { next }',
	'{ n = indentOf($0) }',
	'collecting && n >= listIndent && /^ *- / { item = $0; sub(/^ *- */, "", item); sub(/ +$/, "", item); gsub(/["\']/, "", item); out = out (out == "" ? "" : ",") item; next }',
	'{ collecting = 0 }',
	'n == 0 { inEtcd = /^etcd:/; inExternal = 0; next }',
	'inExternal && n <= externalIndent { inExternal = 0 }',
	'inEtcd && /^ *external: *$/ { inExternal = 1; externalIndent = n; next }',
	'inExternal && /^ *endpoints: *$/ { collecting = 1; listIndent = n }',
	'END { print out }',
].join('\n');

const manifest = stateFiles.apiServerManifest;

/** Where kubeha keeps the manifest it replaced: a dotfile beside it, which the kubelet does not run. */
export const previousManifestPath = previousVersionPath(manifest);

/**
A check, on one line, that a kube-apiserver process runs on the host and every one runs with exactly this flag.
The static pod's process shows on the host, so its command line is /proc/PID/cmdline; an old process still going
after the kubelet saw the change fails the check until it is gone.
*/
export const apiserverRunsWith = (flag: string): string =>
	[
		'kubeha_found=no',
		`for kubeha_pid in $(pgrep -x kube-apiserver); do if tr '\\0' '\\n' < "/proc/$kubeha_pid/cmdline" | ${sh`grep -Fqx -e ${flag}`}; then kubeha_found=yes; else exit 1; fi; done`,
		'[ "$kubeha_found" = yes ]',
	].join('; ');

/** How long an API server may take to come back on a new manifest: the kubelet's restart, then etcd and TLS. */
const restartTries = 150;
const restartIntervalSeconds = 2;

/**
The control plane's kube-apiserver uses the spec's etcd members: its static pod manifest names them in
`--etcd-servers`, and it runs with that. A control plane without the manifest (kubeadm join has not run there)
has nothing to change: join writes the manifest from the kubeadm-config ConfigMap. Otherwise, when the manifest
names other members, only that flag changes (atomically, the rest of the file as kubeadm wrote it), the kubelet
restarts the API server, and the task waits until the new one runs and answers /healthz, so that the step takes
down no other control plane before this one is back.
*/
export function apiserverEtcdServersTask(spec: ClusterSpec, node: NodeSpec): Task {
	const servers = etcdEndpoints(spec).join(',');
	const flag = `--etcd-servers=${servers}`;
	const current = sh`awk ${etcdServersOfManifest} ${manifest}`;
	const healthz = `${kubectlOn(spec, node)} get --raw /healthz`;
	const apiserver = `https://${node.address}:${spec.apiServer.bindPort}`;
	return {
		what: `kube-apiserver on ${node.name}, where kubeadm runs it, uses etcd ${servers}`,
		check: [
			sh`[ -e ${manifest} ] || exit 0`,
			`[ "$(${current})" = ${sh`${servers}`} ] || exit 1`,
			apiserverRunsWith(flag),
		].join('\n'),
		act: [
			sh`if ! grep -q -e '^[[:space:]]*- --etcd-servers=' ${manifest}; then`,
			`\t${sh`echo ${`kubeha: ${manifest} on ${node.name} has no \`- --etcd-servers=\` item in the kube-apiserver command, as kubeadm writes it, so kubeha does not change it: compare it with the manifest on another control plane, put the item back as \`- --etcd-servers=${servers}\` and apply again.`}`} >&2`,
			'\texit 1',
			'fi',
			`if [ "$(${current})" != ${sh`${servers}`} ]; then`,
			// A subshell: its EXIT trap (no half-written copy left behind) ends with it, not with the whole script.
			'\t(',
			// A dotfile beside the manifest, for an atomic rename: the kubelet ignores dotfiles there.
			`\t\t${sh`kubeha_tmp=$(mktemp "$(dirname -- ${manifest})/.kubeha-write-XXXXXX")`}`,
			'\t\ttrap \'rm -f -- "$kubeha_tmp"\' EXIT',
			`\t\t${sh`KUBEHA_ETCD_SERVERS=${servers} awk ${setEtcdServers} ${manifest}`} > "$kubeha_tmp"`,
			`\t\t${sh`chmod --reference=${manifest} -- "$kubeha_tmp"`}`,
			`\t\t${sh`chown --reference=${manifest} -- "$kubeha_tmp"`}`,
			'\t\tsync -- "$kubeha_tmp"',
			`\t\t${sh`cp -p -- ${manifest} ${previousManifestPath}`}`,
			`\t\t${sh`mv -f -- "$kubeha_tmp" ${manifest}`}`,
			'\t)',
			`\t${sh`echo ${`kubeha: wrote ${manifest} with ${flag} (the version before is ${previousManifestPath}); waiting for the kubelet to restart kube-apiserver`}`}`,
			'fi',
			waitUntil(`${apiserverRunsWith(flag)} && ${healthz}`, {
				tries: restartTries,
				intervalSeconds: restartIntervalSeconds,
				failure: `kube-apiserver on ${node.name} does not run with ${flag} and answer ${apiserver}/healthz ${(restartTries * restartIntervalSeconds) / 60} minutes after its manifest named those etcd members. kubeha changes no other control plane until it does. On ${node.name}, see \`crictl ps -a --name kube-apiserver\`, \`crictl logs\` of its newest container and \`journalctl -u kubelet\`, and check that every etcd member answers (\`kubeha status\`); to go back, copy ${previousManifestPath} over ${manifest}.`,
			}),
		].join('\n'),
	};
}

/**
The kubeadm-config ConfigMap, which `kubeadm join --control-plane` and `kubeadm upgrade` read, lists the spec's
etcd members. kubeadm's own upload phase writes it, from kubeha's init configuration on the first control plane
(the kubeadm-init step has just put the current one there), so it holds what kubeadm init would have uploaded.
*/
export function kubeadmConfigEndpointsTask(spec: ClusterSpec, first: NodeSpec): Task {
	const servers = etcdEndpoints(spec).join(',');
	const clusterConfiguration = `${kubectlOn(spec, first)} -n kube-system get configmap kubeadm-config -o 'jsonpath={.data.ClusterConfiguration}'`;
	return {
		what: `the kubeadm-config ConfigMap (for later joins and upgrades) lists etcd ${servers}`,
		check: [
			`kubeha_config=$(${clusterConfiguration}) || exit 1`,
			`[ "$(printf '%s\\n' "$kubeha_config" | ${sh`awk ${externalEtcdEndpoints}`})" = ${sh`${servers}`} ]`,
		].join('\n'),
		act: sh`kubeadm init phase upload-config kubeadm --config ${kubeadmInitPath}`,
	};
}
