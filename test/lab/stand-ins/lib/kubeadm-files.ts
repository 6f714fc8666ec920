// Test fixture for the lab's kubeadm stand-in: where kubeadm keeps its files on a node, and writing them with
// kubeadm's modes (keys and kubeconfigs 0600, certificates 0644).
import {chmodSync, mkdirSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';

const kubernetesDirectory = '/etc/kubernetes';
export const manifestsDirectory = join(kubernetesDirectory, 'manifests');
export const kubeletDirectory = '/var/lib/kubelet';
export const kubeconfigPaths = {
	admin: join(kubernetesDirectory, 'admin.conf'),
	superAdmin: join(kubernetesDirectory, 'super-admin.conf'),
	controllerManager: join(kubernetesDirectory, 'controller-manager.conf'),
	scheduler: join(kubernetesDirectory, 'scheduler.conf'),
	kubelet: join(kubernetesDirectory, 'kubelet.conf'),
	bootstrapKubelet: join(kubernetesDirectory, 'bootstrap-kubelet.conf'),
} as const;
export const kubeletConfigPath = join(kubeletDirectory, 'config.yaml');
export const kubeletFlagsPath = join(kubeletDirectory, 'kubeadm-flags.env');
/** Where the kubelet keeps its rotated client certificate and key (one PEM file), referenced by kubelet.conf. */
export const kubeletClientPath = join(kubeletDirectory, 'pki', 'kubelet-client-current.pem');

export function writeFileWithMode(path: string, content: string, mode: number): void {
	mkdirSync(dirname(path), {recursive: true});
	writeFileSync(path, content, {mode});
	chmodSync(path, mode);
}

/** A certificate (0644) and its key (0600) as <base>.crt and <base>.key. */
export function writePair(directory: string, base: string, pair: {cert: string; key: string}): void {
	writeFileWithMode(join(directory, `${base}.crt`), pair.cert, 0o644);
	writeFileWithMode(join(directory, `${base}.key`), pair.key, 0o600);
}
