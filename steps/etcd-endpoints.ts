import {controlPlanes, firstControlPlane} from '../source/spec/cluster.ts';
import {apiserverEtcdServersTask, kubeadmConfigEndpointsTask} from './scripts/etcd-endpoints.ts';
import {tasks} from './scripts/plan.ts';
import type {PlanStepDefinition} from './support/plan-step.ts';

/**
With external etcd, the running control plane learns the spec's etcd members after they change (a member added
or removed): kubeadm wrote them only at init and join. On the first control plane the kubeadm-config ConfigMap
first (what later joins and upgrades read), then, one control plane at a time, each running kube-apiserver's
`--etcd-servers`, each back and healthy before the next one restarts. After kubeadm-init (which puts the current
init configuration on the first control plane) and before the joins (which read the ConfigMap).
*/
export const etcdEndpoints: PlanStepDefinition = {
	id: 'etcd-endpoints',
	title: 'Point the running API servers and kubeadm-config at the external etcd members, one control plane at a time',
	hosts: (spec) => (spec.etcd.topology === 'external' ? controlPlanes(spec) : []),
	parallel: false,
	plan: (view) => [
		tasks(
			...(view.host.name === firstControlPlane(view.spec)?.name
				? [kubeadmConfigEndpointsTask(view.spec, view.host)]
				: []),
			apiserverEtcdServersTask(view.spec, view.host),
		),
	],
};
