import {etcdDataDirectory} from '../../source/render/etcd.ts';
import {sh} from '../../source/runner/shell.ts';
import type {Task} from '../scripts/tasks.ts';

/** A systemd service stopped and kept from starting at boot. */
export const serviceStoppedTask = (unit: string, why: string): Task => ({
	what: `${unit} stopped and disabled (${why})`,
	check: sh`! systemctl is-active --quiet ${unit} && ! systemctl is-enabled --quiet ${unit}`,
	act: sh`systemctl disable --now ${unit}`,
});

/** The files kubeadm writes, whose absence says `kubeadm reset` ran (or kubeadm never did). */
const kubeadmState = {
	kubeconfigs: ['/etc/kubernetes/admin.conf', '/etc/kubernetes/kubelet.conf'],
	directories: ['/etc/kubernetes/manifests', '/etc/kubernetes/pki'],
} as const;

/**
`kubeadm reset -f`: the kubelet stopped, the static pods (API server, stacked etcd, static-pod load balancers)
gone, this control plane's stacked etcd member removed from the cluster (kubeadm's remove-etcd-member phase,
which only warns when it cannot), the kubeconfigs, manifests and certificates deleted. The Node object stays:
the delete-node step deletes it.
*/
export const kubeadmResetTask: Task = {
	what: 'kubeadm reset: the kubeconfigs, static pod manifests and certificates kubeadm wrote removed, its API server and etcd member gone',
	check: [
		...kubeadmState.kubeconfigs.map((path) => sh`[ ! -e ${path} ]`),
		...kubeadmState.directories.map((path) => sh`[ -z "$(ls -A ${path} 2>/dev/null)" ]`),
	].join(' && '),
	act: 'kubeadm reset -f',
};

const kubehaDirectory = '/etc/kubeha';

/** kubeha's kubeadm configuration holds the bootstrap token and certificate key, which kubeha apply keeps valid. */
export const kubehaFilesTask: Task = {
	what: `${kubehaDirectory} removed (its kubeadm configuration holds the cluster's bootstrap token and certificate key)`,
	check: sh`[ ! -e ${kubehaDirectory} ]`,
	act: sh`rm -rf ${kubehaDirectory}`,
};

/** A removed member's data: etcd refuses to start on it ("member removed"), and a new member needs it empty. */
export const etcdDataTask: Task = {
	what: `${etcdDataDirectory} emptied (a removed member's data; a member that joins again starts empty)`,
	check: sh`[ -z "$(ls -A ${etcdDataDirectory} 2>/dev/null)" ]`,
	act: sh`find ${etcdDataDirectory} -mindepth 1 -delete`,
};
