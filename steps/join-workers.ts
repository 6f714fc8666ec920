import {workers} from '../source/spec/cluster.ts';
import {joinTask} from './scripts/kubeadm.ts';
import {files, renderedUnder, tasks} from './scripts/plan.ts';
import type {PlanStepDefinition} from './support/plan-step.ts';

/** The workers, all at once: joining as a worker changes nothing the others depend on. */
export const joinWorkers: PlanStepDefinition = {
	id: 'join-workers',
	title: 'Join the workers (kubeadm join)',
	hosts: workers,
	parallel: true,
	plan: (view) => [files(...renderedUnder(view, ['/etc/kubeha/'])), tasks(joinTask(view.spec, view.host, false))],
};
