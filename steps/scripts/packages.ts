import {sh} from '../../source/runner/shell.ts';
import type {ClusterSpec} from '../../source/spec/cluster.ts';
import type {OsFamily} from './os.ts';
import type {FilePut} from './plan.ts';
import type {Task} from './tasks.ts';

/** Installs packages with the family's package manager, non-interactively. */
function installPackages(family: OsFamily, packages: readonly string[]): string {
	return family === 'apt'
		? ['apt-get update', sh`DEBIAN_FRONTEND=noninteractive apt-get install -y ${packages}`].join('\n')
		: sh`dnf install -y ${packages}`;
}

/** A check that every command is on the PATH. */
const commandsPresent = (commands: readonly string[]): string =>
	commands.map((command) => sh`command -v ${command}`).join(' && ');

/** A task that installs packages unless their commands are already there (whoever installed them). */
export function packagesTask(
	family: OsFamily,
	what: string,
	{packages, commands}: {readonly packages: readonly string[]; readonly commands: readonly string[]},
): Task {
	return {what, check: commandsPresent(commands), act: installPackages(family, packages)};
}

/** `1.37.1` → `1.37`: pkgs.k8s.io has one repository per minor release. */
export const kubernetesMinor = (spec: ClusterSpec): string => spec.kubernetes.version.split('.').slice(0, 2).join('.');

const kubernetesRepository = (spec: ClusterSpec, format: 'deb' | 'rpm') =>
	`https://pkgs.k8s.io/core:/stable:/v${kubernetesMinor(spec)}/${format}/`;

const aptKeyring = '/etc/apt/keyrings/kubernetes-apt-keyring.gpg';
const kubernetesPackages = ['kubelet', 'kubeadm', 'kubectl'] as const;

/** The package repository of the spec's Kubernetes minor, as kubernetes.io's install guide sets it up. */
export function kubernetesRepositoryFile(spec: ClusterSpec, family: OsFamily): FilePut {
	const minor = kubernetesMinor(spec);
	const content =
		family === 'apt'
			? `# Kubernetes ${minor} packages, added by kubeha.\ndeb [signed-by=${aptKeyring}] ${kubernetesRepository(spec, 'deb')} /\n`
			: [
					`# Kubernetes ${minor} packages, added by kubeha. The exclude line keeps dnf from upgrading them with the`,
					'# rest of the system; kubeha installs them with --disableexcludes=kubernetes.',
					'[kubernetes]',
					`name=Kubernetes ${minor}`,
					`baseurl=${kubernetesRepository(spec, 'rpm')}`,
					'enabled=1',
					'gpgcheck=1',
					`gpgkey=${kubernetesRepository(spec, 'rpm')}repodata/repomd.xml.key`,
					`exclude=${kubernetesPackages.join(' ')} cri-tools kubernetes-cni`,
					'',
				].join('\n');
	const path = family === 'apt' ? '/etc/apt/sources.list.d/kubernetes.list' : '/etc/yum.repos.d/kubernetes.repo';
	return {file: {path, content, mode: 0o644}, origin: 'generated'};
}

/** apt only: the key pkgs.k8s.io signs with, where the repository file says. */
export function kubernetesKeyTask(spec: ClusterSpec): Task {
	return {
		what: `the pkgs.k8s.io signing key in ${aptKeyring}`,
		check: sh`[ -s ${aptKeyring} ]`,
		act: [
			`if ! { ${commandsPresent(['curl', 'gpg'])}; } >/dev/null; then`,
			installPackages('apt', ['ca-certificates', 'curl', 'gpg']),
			'fi',
			'install -d -m 0755 /etc/apt/keyrings',
			sh`curl -fsSL --retry 3 ${`${kubernetesRepository(spec, 'deb')}Release.key`} | gpg --dearmor --yes -o ${aptKeyring}`,
		].join('\n'),
	};
}

/** kubelet, kubeadm and kubectl at exactly the spec's version. */
export function kubernetesPackagesTask(spec: ClusterSpec, family: OsFamily): Task {
	const {version} = spec.kubernetes;
	const versioned = kubernetesPackages.map((name) =>
		family === 'apt' ? `${name}=${version}-*` : `${name}-${version}`,
	);
	return {
		what: `kubelet, kubeadm and kubectl ${version} installed`,
		check: [
			sh`[ "$(kubeadm version -o short)" = ${`v${version}`} ]`,
			sh`[ "$(kubelet --version)" = ${`Kubernetes v${version}`} ]`,
			sh`kubectl version --client | grep -F ${`Client Version: v${version}`}`,
		].join(' && '),
		act:
			family === 'apt'
				? installPackages('apt', versioned)
				: sh`dnf install -y ${versioned} --disableexcludes=kubernetes`,
	};
}

/** apt only: upgrades of the cluster's packages wait for the operator (dnf has the repository's exclude line). */
export const holdKubernetesPackagesTask: Task = {
	what: 'kubelet, kubeadm and kubectl held at their version (apt-mark hold)',
	check: sh`[ "$(apt-mark showhold | grep -cxE 'kubelet|kubeadm|kubectl')" = 3 ]`,
	act: sh`apt-mark hold ${kubernetesPackages}`,
};
