import {error, show, warning} from '../finding.ts';
import type {Rule} from './rule.ts';

/** kubeha writes kubeadm.k8s.io/v1beta4, which kubeadm understands from 1.31 on (k/k #125029). */
export const oldestSupportedMinor = 31;
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
				`${path} is ${show(version)}; kubeha writes kubeadm configuration kubeadm.k8s.io/v1beta4, which needs Kubernetes 1.${oldestSupportedMinor} or newer`,
				`write 1.${oldestSupportedMinor}.0 or newer, e.g. "1.${newestKnownMinor}.1"; upgrade an older cluster with kubeadm before managing it with kubeha.`,
			),
		];
	}

	return minor > newestKnownMinor
		? [
				warning(
					'kubernetes-version',
					path,
					`${path} is ${show(version)}, newer than 1.${newestKnownMinor}, the newest release this kubeha knows; its kubeadm may expect configuration kubeha does not write`,
					`use 1.${newestKnownMinor}.x, or update kubeha first.`,
				),
			]
		: [];
};

export const versionRules: readonly Rule[] = [kubernetesVersion];
