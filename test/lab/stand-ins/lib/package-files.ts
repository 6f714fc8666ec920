// Test fixture for the lab: the files that the packages of stand-in commands install besides the command, as the
// real packages ship them (kubelet from pkgs.k8s.io): systemd units and the command under /usr/bin (a link to the
// stand-in), so that `systemctl enable kubelet` works on units as shipped. A stand-in counts as an installed package
// (packages.ts), so these files are on every host from the start; writing them is the lab's job (host-files.ts).
// containerd is not among them: kubeha installs it from its upstream release (artifact-fixtures.ts packs the
// stand-in as that release is packed); `debianContainerdFiles` is Debian 12's package, for a host that has it.
import {standInDirectory} from './stand-in-commands.ts';

export type PackageFile = {path: string; content: string; mode: number};

const unitDirectory = '/usr/lib/systemd/system';

/** /usr/bin/<command>, where the package puts it and its unit starts it: hands over to the stand-in. */
const command = (name: string): PackageFile => ({
	path: `/usr/bin/${name}`,
	content: `#!/bin/sh\n# ${name} as its package installs it: the lab's stand-in.\nexec ${standInDirectory}/${name} "$@"\n`,
	mode: 0o755,
});

// kubernetes/release: cmd/krel/templates/latest/kubelet/kubelet.service and kubeadm/10-kubeadm.conf.
const kubeletUnit = `[Unit]
Description=kubelet: The Kubernetes Node Agent
Documentation=https://kubernetes.io/docs/
Wants=network-online.target
After=network-online.target

[Service]
ExecStart=/usr/bin/kubelet
Restart=always
StartLimitInterval=0
RestartSec=10

[Install]
WantedBy=multi-user.target
`;

const kubeadmDropIn = `# Note: This dropin only works with kubeadm and kubelet v1.11+
[Service]
Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
# This is a file that "kubeadm init" and "kubeadm join" generates at runtime, populating the KUBELET_KUBEADM_ARGS variable dynamically
EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
# This is a file that the user can use for overrides of the kubelet args as a last resort. Preferably, the user should use
# the .NodeRegistration.KubeletExtraArgs object in the configuration files instead. KUBELET_EXTRA_ARGS should be sourced from this file.
EnvironmentFile=-/etc/default/kubelet
ExecStart=
ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS
`;

export const standInPackageFiles: readonly PackageFile[] = [
	command('kubelet'),
	{path: `${unitDirectory}/kubelet.service`, content: kubeletUnit, mode: 0o644},
	{path: `${unitDirectory}/kubelet.service.d/10-kubeadm.conf`, content: kubeadmDropIn, mode: 0o644},
];
