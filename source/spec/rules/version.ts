import {error, show, warning} from '../finding.ts';
import type {Rule} from './rule.ts';

/**
The oldest minor kubeha installs: the oldest that upstream still maintains and that kubeha's components table
(source/components/table.ts) has containerd, runc, CNI plugins, crictl and etcd for. (kubeadm.k8s.io/v1beta4, which
kubeha writes, would go back to 1.31.)
*/
export const oldestSupportedMinor = 35;
/** The newest stable minor release kubeha was written against. */
export const newestKnownMinor = 37;

const versionPattern = /^(\d+)\.(\d+)\.(\d+)$/;

const kubernetesVersion: Rule = (spec) => {
	const {version} = spec.kubernetes;
	const path = 'kubernetes.version';
	const match = versionPattern.exec(version);
	if (!match) {
		const bare = version.replace(/^v/, '');
		return [
			error(
				'kubernetes-version',
				path,
				`${path} is ${show(version)}, which is not a release version x.y.z`,
				versionPattern.test(bare)
					? `write ${show(bare)}, without the "v".`
					: `write a full release version such as "1.${newestKnownMinor}.1" (major.minor.patch; https://kubernetes.io/releases/ lists them).`,
			),
		];
	}

	const major = Number(match[1]);
	const minor = Number(match[2]);
	if (major !== 1 || minor < oldestSupportedMinor) {
		return [
			error(
				'kubernetes-version',
				path,
				`${path} is ${show(version)}; kubeha installs Kubernetes 1.${oldestSupportedMinor} to 1.${newestKnownMinor} (the releases upstream maintains, which its components table pins containerd, runc and etcd for)`,
				`write 1.${oldestSupportedMinor}.0 or newer, e.g. "1.${newestKnownMinor}.1"; upgrade an older cluster with kubeadm before managing it with kubeha.`,
			),
		];
	}

	return minor > newestKnownMinor
		? [
				warning(
					'kubernetes-version',
					path,
					`${path} is ${show(version)}, newer than 1.${newestKnownMinor}, the newest release this kubeha knows; its kubeadm may expect configuration kubeha does not write, and kubeha installs 1.${newestKnownMinor}'s containerd, runc and etcd for it`,
					`use 1.${newestKnownMinor}.x, or update kubeha first.`,
				),
			]
		: [];
};

export const versionRules: readonly Rule[] = [kubernetesVersion];
