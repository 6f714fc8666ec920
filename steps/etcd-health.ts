import {etcdMembers} from '../source/spec/cluster.ts';
import {etcdHealthTask} from './scripts/etcd.ts';
import {tasks} from './scripts/plan.ts';
import type {PlanStepDefinition} from './support/plan-step.ts';

/** Waits (bounded) until every external etcd member answers its health check, before kubeadm init needs them. */
export const etcdHealth: PlanStepDefinition = {
	id: 'etcd-health',
	title: 'Wait for the external etcd cluster to be healthy',
	hosts: (spec) => (spec.etcd.topology === 'external' ? etcdMembers(spec) : []),
	parallel: true,
	plan: (view) => [tasks(etcdHealthTask(view.host))],
};
