import {initTask} from './scripts/kubeadm.ts';
import {files, renderedUnder, tasks} from './scripts/plan.ts';
import {firstControlPlaneOnly} from './support/hosts.ts';
import type {PlanStepDefinition} from './support/plan-step.ts';

/**
The first control plane: the cluster CA kubeha made (so every join file can pin its hash), kubeadm's init
configuration, and `kubeadm init`, unless the cluster already answers there.
*/
export const kubeadmInit: PlanStepDefinition = {
	id: 'kubeadm-init',
	title: 'Initialise the cluster on the first control plane (kubeadm init)',
	hosts: firstControlPlaneOnly,
	parallel: false,
	plan: (view) => [
		files(...renderedUnder(view, ['/etc/kubeha/', '/etc/kubernetes/pki/'])),
		tasks(initTask(view.spec, view.host)),
	],
};
