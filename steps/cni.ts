import {cniTasks} from './scripts/cni.ts';
import {tasks} from './scripts/plan.ts';
import {firstControlPlaneOnly} from './support/hosts.ts';
import type {PlanStepDefinition} from './support/plan-step.ts';

/**
The pod network, from the first control plane right after kubeadm init (nodes turn Ready only with one), in
the pinned release of the chosen plugin; `kubernetes.cni: none` leaves it to the operator.
*/
export const cni: PlanStepDefinition = {
	id: 'cni',
	title: 'Apply the pod network plugin',
	hosts: (spec) => (spec.kubernetes.cni === 'none' ? [] : firstControlPlaneOnly(spec)),
	parallel: false,
	plan: (view) => [tasks(...cniTasks(view.spec, view.host))],
};
