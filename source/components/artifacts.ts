import type {ClusterSpec} from '../spec/cluster.ts';
import {newestKnownMinor} from '../spec/rules/version.ts';
import {type Architecture, type ComponentKind, componentsTable, type MinorComponents, type Release} from './table.ts';

/** Where a component's release files are published, and how one is named and laid out. */
export type ArtifactSource = {
	/** What the operator reads: "containerd", "the CNI plugins". */
	readonly title: string;
	/** The release download base; `components.mirror.<kind>` replaces it. */
	readonly defaultBase: string;
	/** The file of a release for an architecture, as upstream names it. */
	readonly file: (version: string, arch: Architecture) => string;
	/** `binary`: the file is the program itself; `archive`: a .tar.gz to unpack. */
	readonly format: 'binary' | 'archive';
	/**
	Where its programs go: [path in the archive, installed path]; `{arch}` in a path stands for the host's
	architecture, which the install script knows. A `binary` has one entry, the file itself.
	*/
	readonly installs: (version: string) => ReadonlyArray<readonly [string, string]>;
};

const localBin = '/usr/local/bin';
/** The CNI plugins kubeadm clusters' network plugins rely on (the rest of the archive is installed too). */
export const cniBinDirectory = '/opt/cni/bin';

/**
The upstream release files, as their projects publish them on GitHub (the same files kubespray downloads):
`<base>/v<version>/<file>`.
*/
export const artifactSources: Readonly<Record<ComponentKind, ArtifactSource>> = {
	containerd: {
		title: 'containerd',
		defaultBase: 'https://github.com/containerd/containerd/releases/download',
		file: (version, arch) => `containerd-${version}-linux-${arch}.tar.gz`,
		format: 'archive',
		installs: () =>
			['containerd', 'containerd-shim-runc-v2', 'ctr'].map((name) => [`bin/${name}`, `${localBin}/${name}`] as const),
	},
	runc: {
		title: 'runc',
		defaultBase: 'https://github.com/opencontainers/runc/releases/download',
		file: (_version, arch) => `runc.${arch}`,
		format: 'binary',
		installs: () => [['runc', `${localBin}/runc`]],
	},
	cni: {
		title: 'the CNI plugins',
		defaultBase: 'https://github.com/containernetworking/plugins/releases/download',
		file: (version, arch) => `cni-plugins-linux-${arch}-v${version}.tgz`,
		format: 'archive',
		// The archive holds the plugins at its top; these are the ones every network plugin needs.
		installs: () =>
			['bridge', 'host-local', 'loopback', 'portmap'].map((name) => [name, `${cniBinDirectory}/${name}`] as const),
	},
	crictl: {
		title: 'crictl',
		defaultBase: 'https://github.com/kubernetes-sigs/cri-tools/releases/download',
		file: (version, arch) => `crictl-v${version}-linux-${arch}.tar.gz`,
		format: 'archive',
		installs: () => [['crictl', `${localBin}/crictl`]],
	},
	etcd: {
		title: 'etcd',
		defaultBase: 'https://github.com/etcd-io/etcd/releases/download',
		file: (version, arch) => `etcd-v${version}-linux-${arch}.tar.gz`,
		format: 'archive',
		installs: (version) =>
			['etcd', 'etcdctl', 'etcdutl'].map(
				(name) => [`etcd-v${version}-linux-{arch}/${name}`, `${localBin}/${name}`] as const,
			),
	},
};

/** `1.37.1` → `1.37`. */
export const minorOf = (version: string): string => version.split('.').slice(0, 2).join('.');

/**
The table's row for the spec's minor; a minor newer than kubeha knows (which the version rule warns about) gets the
newest row. Undefined for an older minor than the table has, which the version rule refuses.
*/
export function tableRow(spec: ClusterSpec): MinorComponents | undefined {
	const minor = Number(minorOf(spec.kubernetes.version).split('.')[1]);
	return componentsTable[`1.${Math.min(minor, newestKnownMinor)}`];
}

/** The release kubeha installs: `components.releases.<kind>` when the spec pins one, else the table's. */
export function releaseOf(spec: ClusterSpec, kind: ComponentKind): Release | undefined {
	return spec.components?.releases?.[kind] ?? tableRow(spec)?.[kind];
}

/** Where a release file is downloaded from: the mirror's base or upstream's, then `/v<version>/<file>`. */
export function artifactUrl(spec: ClusterSpec, kind: ComponentKind, version: string, arch: Architecture): string {
	const base = (spec.components?.mirror?.[kind] ?? artifactSources[kind].defaultBase).replace(/\/+$/, '');
	return `${base}/v${version}/${artifactSources[kind].file(version, arch)}`;
}
