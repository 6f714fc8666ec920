import {etcdMembers} from '../source/spec/cluster.ts';
import {etcdPackagesTask} from './scripts/etcd.ts';
import {tasks} from './scripts/plan.ts';
import type {PlanStepDefinition} from './support/plan-step.ts';

/** External etcd: etcd and etcdctl on every member, all at once (the members start one by one in the next step). */
export const etcdPackages: PlanStepDefinition = {
	id: 'etcd-packages',
	title: 'Install etcd on the external etcd members',
	hosts: (spec) => (spec.etcd.topology === 'external' ? etcdMembers(spec) : []),
	parallel: true,
	plan: (_view, family) => [tasks(etcdPackagesTask(family))],
};
