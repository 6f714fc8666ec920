import {createHash} from 'node:crypto';
import {fill} from '../render/template.ts';
import type {HostFiles, Templates} from '../render/types.ts';
import {type ClusterSpec, controlPlaneEndpoint, firstControlPlane} from '../spec/cluster.ts';
import {applyScript, applyScriptName} from './apply-script.ts';

/** One file of a bundle, by its path inside the bundle directory. */
export type BundleEntry = {
	readonly path: string;
	readonly content: string;
	readonly mode: number;
};

export type BundleInput = {
	readonly spec: ClusterSpec;
	/** cluster.yaml as the user wrote it, comments and all. */
	readonly specText: string;
	/** Rendered with the real secrets when they are included, with masked ones otherwise. */
	readonly hosts: readonly HostFiles[];
	/** The secrets file's text, when the bundle is to include the secrets. */
	readonly secretsText?: string;
	readonly templates: Templates;
	readonly version: string;
};

const octal = (mode: number): string => `0${mode.toString(8)}`;

/**
Everything a bundle directory holds, sorted by path: cluster.yaml, README.md, every host's files under
`hosts/<node>/<absolute path>` with the host's `hosts/<node>/apply.sh`, and SHA256SUMS over all of them. Pure: the same input gives the same bytes.
A bundle that holds secrets is for its owner alone, so nothing in it is readable by others.
*/
export function buildBundle(input: BundleInput): BundleEntry[] {
	const {hosts, secretsText} = input;
	const ownerOnly = secretsText !== undefined;
	const modeOf = (mode: number): number => (ownerOnly ? mode & 0o700 : mode);
	const hostEntries = hosts.flatMap((host) =>
		host.files.map((file) => ({
			path: `hosts/${host.node}${file.path}`,
			content: file.content,
			mode: modeOf(file.mode),
		})),
	);
	const nodes = new Map(input.spec.nodes.map((node) => [node.name, node]));
	// Each host's apply.sh, beside its files: what `kubeha apply` does on it, for installing by hand.
	const applyEntries = hosts.flatMap((host) => {
		const node = nodes.get(host.node);
		return node === undefined
			? []
			: [
					{
						path: `hosts/${host.node}/${applyScriptName}`,
						content: applyScript({host: node, spec: input.spec, files: host.files}, input.version),
						mode: modeOf(0o755),
					},
				];
	});
	const readme: BundleEntry = {path: 'README.md', content: readmeFor(input), mode: modeOf(0o644)};
	const entries: BundleEntry[] = [
		{path: 'cluster.yaml', content: input.specText, mode: modeOf(0o644)},
		readme,
		...(secretsText === undefined ? [] : [{path: 'cluster.secrets.yaml', content: secretsText, mode: 0o600}]),
		...hostEntries,
		...applyEntries,
	].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
	const sums = entries.map((entry) => `${createHash('sha256').update(entry.content).digest('hex')}  ${entry.path}\n`);
	return [...entries, {path: 'SHA256SUMS', content: sums.join(''), mode: modeOf(0o644)}];
}

function readmeFor({spec, hosts, secretsText, templates, version}: BundleInput): string {
	const nodes = new Map(spec.nodes.map((node) => [node.name, node]));
	return fill({templates}, 'bundle-README.md.mustache', {
		name: spec.name,
		version,
		endpoint: controlPlaneEndpoint(spec),
		mode: spec.loadBalancer.mode,
		kubernetesVersion: spec.kubernetes.version,
		kubernetesMinor: spec.kubernetes.version.split('.').slice(0, 2).join('.'),
		etcdTopology: spec.etcd.topology,
		secretsIncluded: secretsText !== undefined,
		placeholderFiles: hosts.flatMap((host) =>
			host.files.filter((file) => file.secret).map((file) => ({node: host.node, path: file.path})),
		),
		hosts: hosts.map((host) => ({
			node: host.node,
			address: nodes.get(host.node)?.address,
			roles: nodes.get(host.node)?.roles.join(', '),
			files: host.files.map((file) => ({path: file.path, mode: octal(file.mode)})),
		})),
		keepalived: spec.loadBalancer.mode === 'keepalived-haproxy',
		systemd: spec.loadBalancer.deploy === 'systemd',
		externalEtcd: spec.etcd.topology === 'external',
		firstControlPlane: firstControlPlane(spec)?.name,
	});
}
