import {runsKubelet} from '../../source/spec/cluster.ts';
import {kubeadmResetTask, kubehaFilesTask} from './node-tasks.ts';
import type {TaskStepDefinition} from './task-step.ts';
import type {Removal} from './types.ts';

/** On the node: kubeadm reset, then kubeha's own kubeadm configuration, whose secrets still admit a node. */
export function resetNode(removal: Removal): TaskStepDefinition {
	const {node} = removal;
	return {
		id: 'reset-node',
		title: `Reset ${node.name} (kubeadm reset)`,
		hosts: () => (runsKubelet(node) ? [node] : []),
		tasks: () => [kubeadmResetTask, kubehaFilesTask],
	};
}
