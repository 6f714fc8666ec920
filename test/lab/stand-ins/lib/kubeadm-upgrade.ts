// Test fixture for the lab's kubeadm stand-in: `kubeadm upgrade apply VERSION`, as far as its version policy
// (cmd/kubeadm/app/phases/upgrade/policy.go, EnforceVersionPolicies): the versions kubeadm refuses. The stand-in is
// kubeadm, kubelet and control plane of one version, so an upgrade that kubeadm allows is not modelled.
import {parseVersion, type Version} from '../../../../source/upgrade/version-policy.ts';
import {hostAddress, standInVersion} from './kubeadm-config.ts';
import {kubeconfigPaths} from './kubeadm-files.ts';
import {readClusterConfiguration} from './kubeadm-node.ts';
import {KubeadmError} from './kubeadm-output.ts';
import {readKubeconfig} from './kubeconfig.ts';
import {NotModelled} from './not-modelled.ts';

const maximumUpgradeSkew = 1;
const maximumDowngradeSkew = 1;

function version(text: string, what: string): Version {
	const parsed = parseVersion(text);
	if (parsed === undefined) throw new NotModelled(`${what} "${text}" (modelled: vMAJOR.MINOR.PATCH)`);
	return parsed;
}

/** The mandatory errors of EnforceVersionPolicies, in its words. */
export function mandatoryVersionErrors(target: string, cluster: Version, kubeadm: Version): string[] {
	const wanted = version(target, 'the version to upgrade to');
	return [
		...(wanted.minor > cluster.minor + maximumUpgradeSkew
			? [
					`Specified version to upgrade to "${target}" is too high; kubeadm can upgrade only ${maximumUpgradeSkew} minor version at a time`,
				]
			: []),
		...(wanted.minor < cluster.minor - maximumDowngradeSkew
			? [
					`Specified version to downgrade to "${target}" is too low; kubeadm can downgrade only ${maximumDowngradeSkew} minor version at a time`,
				]
			: []),
		...(wanted.minor > kubeadm.minor
			? [
					`Specified version to upgrade to "${target}" is at least one minor release higher than the kubeadm minor release (${wanted.minor} > ${kubeadm.minor}). Such an upgrade is not supported`,
				]
			: []),
	];
}

/** `kubeadm upgrade apply VERSION --yes`: the cluster's and kubeadm's versions, then the policy's refusals. */
export async function upgradeApply(target: string | undefined): Promise<number> {
	if (target === undefined) throw new NotModelled('upgrade apply without a version');
	const admin = {...readKubeconfig(kubeconfigPaths.admin), timeoutMs: 5000};
	const {cluster} = await readClusterConfiguration(admin, {advertiseAddress: hostAddress(), bindPort: 6443});
	process.stdout.write(`[upgrade/versions] Cluster version: ${cluster.kubernetesVersion}\n`);
	process.stdout.write(`[upgrade/versions] kubeadm version: ${standInVersion}\n`);
	const errors = mandatoryVersionErrors(
		target,
		version(cluster.kubernetesVersion, 'the cluster version'),
		version(standInVersion, 'the kubeadm version'),
	);
	if (errors.length > 0) {
		throw new KubeadmError(
			`the --version argument is invalid due to these fatal errors:\n\n${errors.map((error) => `\t- ${error}\n`).join('')}\nPlease fix the misalignments highlighted above and try upgrading again`,
		);
	}
	throw new NotModelled(
		`upgrade apply ${target}, which kubeadm's version policy allows: the stand-in is kubeadm, kubelet and control plane of ${standInVersion} alone`,
	);
}
