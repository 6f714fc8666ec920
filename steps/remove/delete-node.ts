import {sh} from '../../source/runner/shell.ts';
import {runsKubelet} from '../../source/spec/cluster.ts';
import {kubectlOn} from '../scripts/kubeadm.ts';
import {notRegisteredCheck, type TaskStepDefinition} from './task-step.ts';
import type {Removal} from './types.ts';

/** The Node object deleted, from a surviving control plane, once kubeadm reset stopped its kubelet (which would register it again). */
export function deleteNode(removal: Removal): TaskStepDefinition {
	const {node, controlPlane} = removal;
	return {
		id: 'delete-node',
		title: `Delete the Node ${node.name} from the cluster (kubectl delete node)`,
		hosts: () => (runsKubelet(node) ? [controlPlane] : []),
		tasks: ({spec}) => {
			const kubectl = kubectlOn(spec, controlPlane);
			return [
				{
					what: `no Node ${node.name} in the cluster (kubectl delete node)`,
					check: notRegisteredCheck(kubectl, node.name),
					act: `${kubectl} ${sh`delete node ${node.name}`}`,
				},
			];
		},
	};
}
