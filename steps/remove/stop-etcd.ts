import {etcdMembers} from '../../source/spec/cluster.ts';
import {etcdDataTask, serviceStoppedTask} from './node-tasks.ts';
import type {TaskStepDefinition} from './task-step.ts';
import type {Removal} from './types.ts';

/** External etcd, once the member is out of the cluster: its etcd stopped for good and its data gone. */
export function stopEtcd(removal: Removal): TaskStepDefinition {
	const {node} = removal;
	return {
		id: 'stop-etcd',
		title: `Stop etcd on ${node.name}`,
		hosts: (spec) =>
			spec.etcd.topology === 'external' && etcdMembers(spec).some((member) => member.name === node.name) ? [node] : [],
		tasks: () => [serviceStoppedTask('etcd', 'its member is out of the etcd cluster'), etcdDataTask],
	};
}
