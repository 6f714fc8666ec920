import {sh} from '../../source/runner/shell.ts';
import type {ClusterSpec} from '../../source/spec/cluster.ts';
import type {NodeSpec} from '../../source/spec/schema.ts';
import {stateFiles} from './facts.ts';
import {kubectlOn} from './kubeadm.ts';
import type {Task} from './tasks.ts';

/** The releases kubeha installs (released versions, checked in 2026), pinned so that every run applies the same. */
const cniReleases = {
	calico: 'v3.31.3',
	flannel: 'v0.27.4',
	/** The cilium CLI installs the Cilium release it was built for. */
	ciliumCli: 'v0.19.0',
} as const;

const cniDirectory = '/etc/kubeha/cni';

/** A literal as a basic regular expression for sed (with | as the delimiter). */
const sedLiteral = (text: string) => text.replace(/[\\.*[\]^$|]/g, '\\$&');

type Manifest = {
	readonly name: string;
	readonly version: string;
	readonly url: string;
	/** The DaemonSet the manifest makes, whose presence means it was applied. */
	readonly daemonSet: {readonly namespace: string; readonly name: string};
	/** Lines of the manifest to rewrite for the spec (the pod network); each must be found. */
	readonly edits: readonly {readonly from: string; readonly to: string}[];
};

/**
A published manifest, downloaded on the control plane, edited for the spec, kept in /etc/kubeha/cni/ for the
operator to read, and applied server-side (Calico's CRDs are too large for client-side apply's annotation).
*/
function manifestTask(spec: ClusterSpec, node: NodeSpec, manifest: Manifest): Task {
	const kubectl = kubectlOn(spec, node);
	const downloaded = `${cniDirectory}/${manifest.name}.download.yaml`;
	const edited = `${cniDirectory}/${manifest.name}.yaml`;
	const sedArguments = manifest.edits.flatMap(({from, to}) => [
		'-e',
		`s|${sedLiteral(from)}|${to.replaceAll('|', '\\|')}|`,
	]);
	return {
		what: `${manifest.name} ${manifest.version} applied (${manifest.url}, pod network ${spec.kubernetes.podSubnet})`,
		check: `${kubectl} ${sh`-n ${manifest.daemonSet.namespace} get daemonset ${manifest.daemonSet.name} -o name`}`,
		act: [
			sh`mkdir -p ${cniDirectory}`,
			sh`curl -fsSL --retry 3 -o ${downloaded} ${manifest.url}`,
			sh`sed ${sedArguments} ${downloaded} > ${edited}`,
			...manifest.edits.map(
				({to}) =>
					sh`if ! grep -F -- ${to} ${edited} >/dev/null; then echo ${`kubeha: ${manifest.url} no longer has the lines kubeha edits for the pod network; apply a network plugin by hand (kubernetes.cni: none) or report this.`} >&2; exit 1; fi`,
			),
			`${kubectl} apply --server-side -f ${sh`${edited}`}`,
		].join('\n'),
	};
}

/** The network plugin's tasks on the first control plane; none for `cni: none`. */
export function cniTasks(spec: ClusterSpec, node: NodeSpec): Task[] {
	const podSubnet = spec.kubernetes.podSubnet;
	switch (spec.kubernetes.cni) {
		case 'calico': {
			return [
				manifestTask(spec, node, {
					name: 'calico',
					version: cniReleases.calico,
					url: `https://raw.githubusercontent.com/projectcalico/calico/${cniReleases.calico}/manifests/calico.yaml`,
					daemonSet: {namespace: 'kube-system', name: 'calico-node'},
					// The pool is commented out in the manifest, which then defaults to 192.168.0.0/16.
					edits: [
						{from: '# - name: CALICO_IPV4POOL_CIDR', to: '- name: CALICO_IPV4POOL_CIDR'},
						{from: '#   value: "192.168.0.0/16"', to: `  value: "${podSubnet}"`},
					],
				}),
			];
		}

		case 'flannel': {
			return [
				manifestTask(spec, node, {
					name: 'flannel',
					version: cniReleases.flannel,
					url: `https://github.com/flannel-io/flannel/releases/download/${cniReleases.flannel}/kube-flannel.yml`,
					daemonSet: {namespace: 'kube-flannel', name: 'kube-flannel-ds'},
					edits: [{from: '"Network": "10.244.0.0/16"', to: `"Network": "${podSubnet}"`}],
				}),
			];
		}

		case 'cilium': {
			return ciliumTasks(spec, node);
		}

		case 'none': {
			return [];
		}
	}
}

const ciliumCliUrl = `https://github.com/cilium/cilium-cli/releases/download/${cniReleases.ciliumCli}`;

/** Cilium has no plain manifest: its CLI (checked against its published sha256) installs it. */
function ciliumTasks(spec: ClusterSpec, node: NodeSpec): Task[] {
	return [
		{
			what: `the cilium CLI ${cniReleases.ciliumCli} in /usr/local/bin`,
			check: sh`/usr/local/bin/cilium version --client | grep -F ${cniReleases.ciliumCli}`,
			act: [
				'kubeha_arch=$(case "$(uname -m)" in aarch64) echo arm64 ;; *) echo amd64 ;; esac)',
				'kubeha_download=$(mktemp -d)',
				`curl -fsSL --retry 3 -o "$kubeha_download/cilium.tar.gz" "${ciliumCliUrl}/cilium-linux-$kubeha_arch.tar.gz"`,
				`curl -fsSL --retry 3 -o "$kubeha_download/cilium.sha256" "${ciliumCliUrl}/cilium-linux-$kubeha_arch.tar.gz.sha256sum"`,
				'if [ "$(cut -d " " -f 1 "$kubeha_download/cilium.sha256")" != "$(sha256sum < "$kubeha_download/cilium.tar.gz" | cut -d " " -f 1)" ]; then',
				`\techo ${sh`${`kubeha: the cilium CLI downloaded from ${ciliumCliUrl} does not match its published sha256; try again, or install Cilium by hand (kubernetes.cni: none).`}`} >&2`,
				'\texit 1',
				'fi',
				'tar -xzf "$kubeha_download/cilium.tar.gz" -C /usr/local/bin cilium',
				'rm -rf -- "$kubeha_download"',
			].join('\n'),
		},
		{
			what: `Cilium applied by the cilium CLI ${cniReleases.ciliumCli} (node pod ranges from ${spec.kubernetes.podSubnet})`,
			check: `${kubectlOn(spec, node)} -n kube-system get daemonset cilium -o name`,
			// ipam.mode=kubernetes: pods get addresses from each node's podCIDR, which kubeadm carves out of podSubnet.
			act: sh`KUBECONFIG=${stateFiles.adminConf} /usr/local/bin/cilium install --set ipam.mode=kubernetes`,
		},
	];
}
