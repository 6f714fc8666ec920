import {controlPlanes, runsKubelet} from '../source/spec/cluster.ts';
import type {NodeSpec} from '../source/spec/schema.ts';
import {joinCredentialTasks} from './scripts/kubeadm.ts';
import {tasks} from './scripts/plan.ts';
import {firstControlPlaneOnly} from './support/hosts.ts';
import type {PlanStepDefinition} from './support/plan-step.ts';

const names = (nodes: readonly NodeSpec[]) => nodes.map((node) => node.name);

/**
Before any join: fresh join credentials on the first control plane, whenever a node still has to join. Every
run, because they expire (the uploaded certificates 2 h after kubeadm init, the token after 24 h) and a node
may be added days later; renewing them early is harmless.
*/
export const joinCredentials: PlanStepDefinition = {
	id: 'join-credentials',
	title: 'Renew the join credentials (bootstrap token, uploaded certificates)',
	hosts: (spec) => (spec.nodes.filter((node) => runsKubelet(node)).length > 1 ? firstControlPlaneOnly(spec) : []),
	parallel: false,
	everyRun: true,
	plan({spec, host}) {
		const joining = spec.nodes.filter((node) => runsKubelet(node) && node.name !== host.name);
		return [
			tasks(
				...joinCredentialTasks(spec, host, {
					joining: names(joining),
					joiningControlPlanes: names(controlPlanes(spec).filter((node) => node.name !== host.name)),
				}),
			),
		];
	},
};
