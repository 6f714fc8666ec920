import type {ClusterSpec} from '../../source/spec/cluster.ts';
import type {Step} from '../types.ts';
import {deleteNode} from './delete-node.ts';
import {drainNode} from './drain-node.ts';
import {removeEtcdMember} from './remove-etcd-member.ts';
import {resetNode} from './reset-node.ts';
import {stopEtcd} from './stop-etcd.ts';
import {stopLoadBalancer} from './stop-load-balancer.ts';
import {taskStep} from './task-step.ts';
import type {Removal} from './types.ts';

/**
Taking a node out, in order: its pods leave first; its keepalived stops while its API server still answers, so
the VIP moves cleanly; kubeadm reset (which also removes a stacked etcd member); the etcd member checked (or, for
external etcd, removed) from a survivor, then the node's etcd stopped; the Node object goes last, once no
kubelet would register it again. Only the steps that have hosts in this spec; each skips what is already done.
The journal knows a step by host and id, so each depends on the node it removes too: resuming the removal of
another node does not skip them.
*/
export function removalSteps(spec: ClusterSpec, removal: Removal): Step[] {
	return [
		taskStep(drainNode(removal), removal),
		taskStep(stopLoadBalancer(removal), removal),
		taskStep(resetNode(removal), removal),
		removeEtcdMember(removal),
		taskStep(stopEtcd(removal), removal),
		taskStep(deleteNode(removal), removal),
	]
		.filter((step) => step.hosts(spec).length > 0)
		.map((step) => ({...step, dependsOn: (view) => ({removing: removal.node.name, spec: view.spec})}));
}
