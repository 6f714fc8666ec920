import {controlPlanes, runsKubelet} from '../source/spec/cluster.ts';
import type {NodeSpec} from '../source/spec/schema.ts';
import {joinCredentialTasks} from './scripts/kubeadm.ts';
import {tasks} from './scripts/plan.ts';
import {firstControlPlaneOnly} from './support/hosts.ts';
import type {PlanStepDefinition} from './support/plan-step.ts';

const names = (nodes: readonly NodeSpec[]) => nodes.map((node) => node.name);

/**
Before any join: fresh join credentials on the first control plane, whenever a node can still join (it is not a
Ready node of the cluster: new, or reset since), and nothing once every node is. They expire (the uploaded
certificates 2 h after an upload, the token 24 h after it is made) and a node may be added days later, so the
journal never vouches for them (`everyRun`): each run, resumed or not, asks the cluster again.
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
