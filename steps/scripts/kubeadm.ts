import {kubeadmInitPath, kubeadmJoinPath} from '../../source/render/kubeadm.ts';
import {sh} from '../../source/runner/shell.ts';
import type {ClusterSpec} from '../../source/spec/cluster.ts';
import type {NodeSpec} from '../../source/spec/schema.ts';
import {stateFiles} from './facts.ts';
import type {Task} from './tasks.ts';

/**
kubectl as the cluster admin, talking to this control plane's own API server (its address is in the serving
certificate) rather than through the VIP: what it checks must not depend on the load balancer.
*/
export const kubectlOn = (spec: ClusterSpec, node: NodeSpec, {requestTimeout = true} = {}): string =>
	sh`kubectl --kubeconfig ${stateFiles.adminConf} --server ${`https://${node.address}:${spec.apiServer.bindPort}`}` +
	// A bounded request, except for watches (kubectl wait), which the timeout would cut short.
	(requestTimeout ? ' --request-timeout 10s' : '');

/** A check that the cluster is up: its API server answers and kubeadm's upload-config phase (late in init) ran. */
const initialisedCheck = (spec: ClusterSpec, node: NodeSpec): string =>
	`[ -e ${stateFiles.adminConf} ] && ${kubectlOn(spec, node)} -n kube-system get configmap kubeadm-config -o name`;

/** kubeadm init with kubeha's configuration; the certificate key is in the file (kubeadm refuses it as a flag there). */
export function initTask(spec: ClusterSpec, node: NodeSpec): Task {
	return {
		what: `cluster ${spec.name} initialised on ${node.name} (kubeadm init)`,
		check: initialisedCheck(spec, node),
		act: [
			sh`if [ -e ${stateFiles.apiServerManifest} ]; then`,
			`\t${sh`echo ${`kubeha: ${node.name} has ${stateFiles.apiServerManifest}, but its API server does not answer at ${node.address}:${spec.apiServer.bindPort}. Either an earlier kubeadm init stopped half-way (then run \`kubeadm reset -f\` on ${node.name} and apply again) or the control plane is down (see \`systemctl status kubelet\` and \`crictl ps -a\` on ${node.name}).`}`} >&2`,
			'\texit 1',
			'fi',
			sh`kubeadm init --config ${kubeadmInitPath} --upload-certs`,
		].join('\n'),
	};
}

/** A check that the node has joined: the kubelet's kubeconfig, and for a control plane its API server manifest. */
const joinedCheck = (controlPlane: boolean): string =>
	[stateFiles.kubeletConf, ...(controlPlane ? [stateFiles.apiServerManifest] : [])]
		.map((path) => sh`[ -e ${path} ]`)
		.join(' && ');

/** kubeadm join with kubeha's join configuration (a control plane downloads the shared certificates with it). */
export function joinTask(spec: ClusterSpec, node: NodeSpec, controlPlane: boolean): Task {
	const role = controlPlane ? 'a control plane' : 'a worker';
	return {
		what: `${node.name} joined to cluster ${spec.name} as ${role} (kubeadm join)`,
		check: joinedCheck(controlPlane),
		act: [
			sh`if [ -e ${stateFiles.kubeletConf} ]; then`,
			`\t${sh`echo ${`kubeha: ${node.name} has ${stateFiles.kubeletConf} but is not ${role} yet: an earlier kubeadm join stopped half-way, or the node belongs to another cluster. Run \`kubeadm reset -f\` on ${node.name}, then apply again.`}`} >&2`,
			'\texit 1',
			'fi',
			sh`kubeadm join --config ${kubeadmJoinPath}`,
		].join('\n'),
	};
}

/** A check, on a control plane, that every named node is registered in the cluster. */
export function membersCheck(spec: ClusterSpec, controlPlane: NodeSpec, names: readonly string[]): string {
	return [
		`kubeha_nodes=" $(${kubectlOn(spec, controlPlane)} get nodes -o 'jsonpath={.items[*].metadata.name}') "`,
		sh`for kubeha_node in ${names}; do case "$kubeha_nodes" in *" $kubeha_node "*) ;; *) exit 1 ;; esac; done`,
	].join('\n');
}

/** A sed program printing the id (the public half) of the bootstrap token in kubeadm-init.yaml. */
const tokenIdFromInitConfig = String.raw`s/^ *- token: *\([a-z0-9]\{6\}\)\.[a-z0-9]\{16\}$/\1/p`;

/**
A check, on a control plane, that every named node is a Ready node of the cluster. kubeadm join refuses a name
that a Ready node has, so only the other nodes can still join: a new node, or one reset since (kubeadm reset
leaves its Node object, which then turns NotReady). STATUS is `Ready`, or `Ready,SchedulingDisabled` when
cordoned.
*/
function readyMembersCheck(spec: ClusterSpec, controlPlane: NodeSpec, names: readonly string[]): string {
	return [
		`kubeha_ready=" $(${kubectlOn(spec, controlPlane)} get nodes | awk 'NR > 1 && $2 ~ /^Ready(,|$)/ { printf "%s ", $1 }') "`,
		sh`for kubeha_node in ${names}; do case "$kubeha_ready" in *" $kubeha_node "*) ;; *) exit 1 ;; esac; done`,
	].join('\n');
}

/**
The join credentials, renewed on the first control plane from kubeadm-init.yaml (so the secrets stay off command
lines) whenever a node can still join, i.e. is not a Ready node yet, and left alone once every node is: the
bootstrap token lives 24 h; `kubeadm token create --config` refuses a token that exists, so the token is deleted
by its id (the public half, read from the file on the host) and created again, the same token, for another 24 h;
the shared certificates, encrypted with the spec's certificate key, are deleted 2 h after an upload, and
`init phase upload-certs` uploads them again for another 2 h.
*/
export function joinCredentialTasks(
	spec: ClusterSpec,
	first: NodeSpec,
	{
		joining,
		joiningControlPlanes,
	}: {readonly joining: readonly string[]; readonly joiningControlPlanes: readonly string[]},
): Task[] {
	return [
		{
			what: `a fresh bootstrap token (24 h) for any of ${joining.join(', ')} not yet a Ready node`,
			check: readyMembersCheck(spec, first, joining),
			act: [
				sh`kubeha_token_id=$(sed -n ${tokenIdFromInitConfig} ${kubeadmInitPath} | head -n 1)`,
				'kubeadm token delete "$kubeha_token_id" >/dev/null 2>&1 || true',
				sh`kubeadm token create --config ${kubeadmInitPath} >/dev/null`,
			].join('\n'),
		},
		...(joiningControlPlanes.length === 0
			? []
			: [
					{
						what: `freshly uploaded shared certificates (2 h) for any of ${joiningControlPlanes.join(', ')} not yet a Ready control plane`,
						check: readyMembersCheck(spec, first, joiningControlPlanes),
						act: sh`kubeadm init phase upload-certs --upload-certs --config ${kubeadmInitPath} >/dev/null`,
					},
				]),
	];
}
