import {hasRole} from '../../source/spec/cluster.ts';
import {serviceStoppedTask} from './node-tasks.ts';
import type {TaskStepDefinition} from './task-step.ts';
import type {Removal} from './types.ts';

/**
keepalived, then haproxy, stopped on a load-balancer node (systemd deploy; kubeadm reset removes static pods).
keepalived first: a stopping keepalived sends a priority-0 advert, so the VIP moves in under a second while
this node's haproxy still serves; then nothing here answers on the VIP's port.
*/
export function stopLoadBalancer(removal: Removal): TaskStepDefinition {
	const {node} = removal;
	return {
		id: 'stop-load-balancer',
		title: `Stop keepalived and haproxy on ${node.name}`,
		hosts: (spec) =>
			spec.loadBalancer.mode === 'keepalived-haproxy' &&
			spec.loadBalancer.deploy === 'systemd' &&
			hasRole(node, 'load-balancer')
				? [node]
				: [],
		tasks: () => [
			serviceStoppedTask('keepalived', 'the VIP moves to the other load-balancer nodes'),
			serviceStoppedTask('haproxy', 'the node no longer forwards to the API servers'),
		],
	};
}
