import {joinTask} from './scripts/kubeadm.ts';
import {files, renderedUnder, tasks} from './scripts/plan.ts';
import {joiningControlPlanes} from './support/hosts.ts';
import type {PlanStepDefinition} from './support/plan-step.ts';

/**
The other control planes, one at a time: each `kubeadm join` adds an etcd member (stacked etcd), and etcd adds
members one by one. With external etcd, the control plane's etcd client certificate comes first.
*/
export const joinControlPlanes: PlanStepDefinition = {
	id: 'join-control-planes',
	title: 'Join the other control planes (kubeadm join), one at a time',
	hosts: joiningControlPlanes,
	parallel: false,
	plan: (view) => [
		files(...renderedUnder(view, ['/etc/kubeha/', '/etc/kubernetes/pki/'])),
		tasks(joinTask(view.spec, view.host, true)),
	],
};
