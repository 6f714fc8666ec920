import {containerdUnitPath, crictlConfigPath, modulesLoadPath, sysctlPath} from '../source/render/prerequisites.ts';
import {runsKubelet} from '../source/spec/cluster.ts';
import {containerdTasks} from './scripts/containerd.ts';
import {
	kubeletEnabledTask,
	modulesOf,
	modulesTask,
	selinuxPermissiveTask,
	swapTasks,
	sysctlsOf,
	sysctlsTask,
} from './scripts/kernel.ts';
import {
	holdKubernetesPackagesTask,
	kubernetesKeyTask,
	kubernetesPackagesTask,
	kubernetesRepositoryFile,
} from './scripts/packages.ts';
import {files, rendered, tasks} from './scripts/plan.ts';
import type {PlanStepDefinition} from './support/plan-step.ts';

/**
Every node with a kubelet, ready for kubeadm: kernel modules and settings, swap off, containerd, runc, the CNI
plugins and crictl from their verified upstream release files, containerd with the systemd cgroup driver, and
kubelet, kubeadm and kubectl of the spec's version from pkgs.k8s.io, held there.
*/
export const prerequisites: PlanStepDefinition = {
	id: 'prerequisites',
	title: 'Prepare the nodes for kubeadm (kernel, swap, containerd, Kubernetes packages)',
	hosts: (spec) => spec.nodes.filter((node) => runsKubelet(node)),
	parallel: true,
	plan(view, family) {
		const modules = rendered(view, modulesLoadPath);
		const sysctls = rendered(view, sysctlPath);
		return [
			files(modules, sysctls, rendered(view, containerdUnitPath), rendered(view, crictlConfigPath)),
			tasks(
				modulesTask(modulesOf(modules.file.content)),
				sysctlsTask(sysctlsOf(sysctls.file.content)),
				...swapTasks,
				...(family === 'dnf' ? [selinuxPermissiveTask] : []),
				// Before the repository file: apt-get update fails on a repository whose key is missing.
				...(family === 'apt' ? [kubernetesKeyTask(view.spec)] : []),
			),
			files(kubernetesRepositoryFile(view.spec, family)),
			tasks(
				...containerdTasks(view.spec),
				kubernetesPackagesTask(view.spec, family),
				...(family === 'apt' ? [holdKubernetesPackagesTask] : []),
				kubeletEnabledTask,
			),
		];
	},
};
