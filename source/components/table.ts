/**
What each supported Kubernetes minor runs on, as data: reviewed like code, changed in one place. kubeha installs
these from their upstream release files (see `artifacts.ts` for where each comes from), checked against the
sha256 here before anything is unpacked. kubelet, kubeadm and kubectl keep coming from pkgs.k8s.io per minor.

Versions and checksums are those kubespray pins (roles/kubespray_defaults/vars/main/checksums.yml and
vars/main/main.yml, kubernetes-sigs/kubespray at 46dbdd3, 2026-08-21), which are the sha256 of the upstream release
files themselves. crictl follows the Kubernetes minor (cri-tools releases with it); kubespray pins no 1.37.0 yet,
so 1.37 keeps crictl 1.36.0, which speaks the same CRI v1 API. The pause image is the one kubeadm of that minor
expects (kubespray's pod_infra_supported_versions; 1.37 keeps 1.36's).
*/

/** Architectures the table has files for, by their release-file names; `uname -m` gives the other spelling. */
export const architectures = ['amd64', 'arm64'] as const;
export type Architecture = (typeof architectures)[number];
/** `uname -m` → the release files' name for the architecture. */
export const unameArchitectures: Readonly<Record<string, Architecture>> = {x86_64: 'amd64', aarch64: 'arm64'};

/** What kubeha downloads and installs itself. */
export const componentKinds = ['containerd', 'runc', 'cni', 'crictl', 'etcd'] as const;
export type ComponentKind = (typeof componentKinds)[number];

/** One release of a component: its version and the sha256 of its release file for each architecture. */
export type Release = {readonly version: string; readonly sha256: Readonly<Partial<Record<Architecture, string>>>};

export type MinorComponents = Readonly<Record<ComponentKind, Release>> & {
	/** The sandbox image kubeadm of this minor expects containerd to use. */
	readonly pauseImage: string;
};

const containerd234: Release = {
	version: '2.3.4',
	sha256: {
		amd64: '9d68969855fbf676cdb8ed758e420fb048d61f984f61de3e53eddfebe484d168',
		arm64: 'a985fbb7e18fc0362d31a055338f5d7b0e087a3e27f14c70d1c5965399a29f95',
	},
};

const runc143: Release = {
	version: '1.4.3',
	sha256: {
		amd64: 'f6ae8efc0fa40079e1475e97cbe9d1bd3f106a28d6af78a11d9f1bd565515e60',
		arm64: '633301e2e32f8a5ad54031aab4901eb00308bec677dd15faa2751e8f9dab5ca4',
	},
};

const cni191: Release = {
	version: '1.9.1',
	sha256: {
		amd64: 'b98f74a0f8522f0a83867178729c1aa70f2158f90c45a2ca8fa791db1c76b303',
		arm64: '56171987d3947707c3563db2f4001bccaf50fd63468611b9f3cbecb1375ee7ec',
	},
};

const crictl1350: Release = {
	version: '1.35.0',
	sha256: {
		amd64: '2e141e5b22cb189c40365a11807d69b76b9b3caced89fac2f4ec879408ce2177',
		arm64: '519071de89b64c43e2a1661bb5489c6c3fd5e9e5fcef75e50e542b0c891f1118',
	},
};

const crictl1360: Release = {
	version: '1.36.0',
	sha256: {
		amd64: '83855e114566a8a8c44c548d515670f51de3a5e1da8b2effb59870e2f10c25a3',
		arm64: '68328594ccf780a80ae2b092d9f6ce484eec7cf540c275242e8fd954bfd95332',
	},
};

const etcd3614: Release = {
	version: '3.6.14',
	sha256: {
		amd64: 'ffe840ff9295808e88cce2794a18a5ac87f12a5203c8314d0bf6aa119b41bac5',
		arm64: 'fa1b80565ee6fc2df1ae6f57a508b221f3ecc7d591c317c581cd8281b0842b3e',
	},
};

/** By Kubernetes minor, `1.37`. Every minor the version rule accepts has a row (components-table.test.ts). */
export const componentsTable: Readonly<Record<string, MinorComponents>> = {
	'1.35': {
		containerd: containerd234,
		runc: runc143,
		cni: cni191,
		crictl: crictl1350,
		etcd: etcd3614,
		pauseImage: 'registry.k8s.io/pause:3.10.1',
	},
	'1.36': {
		containerd: containerd234,
		runc: runc143,
		cni: cni191,
		crictl: crictl1360,
		etcd: etcd3614,
		pauseImage: 'registry.k8s.io/pause:3.10.2',
	},
	'1.37': {
		containerd: containerd234,
		runc: runc143,
		cni: cni191,
		crictl: crictl1360,
		etcd: etcd3614,
		pauseImage: 'registry.k8s.io/pause:3.10.2',
	},
};
