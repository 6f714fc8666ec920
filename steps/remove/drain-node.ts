import {sh} from '../../source/runner/shell.ts';
import {runsKubelet} from '../../source/spec/cluster.ts';
import {kubectlOn} from '../scripts/kubeadm.ts';
import {notRegisteredCheck, type TaskStepDefinition} from './task-step.ts';
import type {Removal} from './types.ts';

/** How long the pods may take to leave (PodDisruptionBudgets, graceful termination) before the step fails. */
export const drainTimeout = '300s';

/**
The node's pods evicted, from a surviving control plane, so their controllers start them elsewhere first.
DaemonSet pods (kube-proxy, the network plugin) stay; emptyDir data goes with its pod. Pods without a controller
stop the drain (kubectl without --force): deleting them would lose them for good, which is the operator's call.
A node that does not answer gets its evicted pods deleted without waiting for its kubelet to confirm.
*/
export function drainNode(removal: Removal): TaskStepDefinition {
	const {node, controlPlane, reachable} = removal;
	return {
		id: 'drain-node',
		title: `Drain ${node.name} (kubectl drain)`,
		hosts: () => (runsKubelet(node) ? [controlPlane] : []),
		tasks: ({spec}) => {
			const kubectl = kubectlOn(spec, controlPlane, {requestTimeout: false});
			const drain = `${kubectl} ${sh`drain ${node.name} --ignore-daemonsets --delete-emptydir-data ${`--timeout=${drainTimeout}`}`}`;
			return [
				{
					what: `${node.name} drained (kubectl drain), unless the cluster has no Node ${node.name} any more`,
					check: notRegisteredCheck(kubectlOn(spec, controlPlane), node.name),
					act: [
						`if ! ${drain}${reachable ? '' : ' --skip-wait-for-delete-timeout=1'}; then`,
						`\t${sh`echo ${`kubeha: kubectl drain ${node.name} failed or did not finish within ${drainTimeout}: a PodDisruptionBudget that allows no eviction, or a pod that no controller manages (the lines above name it). Move or delete those pods, then run kubeha remove-node again.`}`} >&2`,
						'\texit 1',
						'fi',
					].join('\n'),
				},
			];
		},
	};
}
