import type {Survey} from '../../steps/remove/survey.ts';
import type {Removal} from '../../steps/remove/types.ts';
import type {Step} from '../../steps/types.ts';
import {UserError} from '../io/user-error.ts';
import type {Shell} from '../runner/shell.ts';
import {type ClusterSpec, etcdMembers, loadBalancerNodes} from '../spec/cluster.ts';
import type {NodeSpec} from '../spec/schema.ts';
import {stepLines} from './step-lines.ts';

/** The removal as the steps see it, once the survey found a surviving control plane (and etcd member) to work from. */
export function removalOf(
	spec: ClusterSpec,
	node: NodeSpec,
	survey: Survey,
	shell: Shell,
	warn: (text: string) => void,
): Removal {
	const {controlPlane, etcdPeer, unreachable} = survey;
	const unanswered = [...unreachable].map(([name, reason]) => `${name} (${reason})`).join(', ');
	if (controlPlane === undefined) {
		throw new UserError(
			`no control plane other than ${node.name} answers over ssh (${unanswered}), and kubeha drains and deletes the node from one: check ssh to the control planes (addresses, ssh.user, ssh.identityFile), then run the command again. Nothing was changed.`,
			1,
		);
	}

	const externalMember = spec.etcd.topology === 'external' && etcdMembers(spec).some((m) => m.name === node.name);
	if (externalMember && etcdPeer === undefined) {
		throw new UserError(
			`no etcd member other than ${node.name} answers over ssh (${unanswered}), and kubeha removes ${node.name}'s member with etcdctl from one: check ssh to the etcd nodes, then run the command again. Nothing was changed.`,
			1,
		);
	}

	return {node, reachable: !unreachable.has(node.name), controlPlane, etcdPeer, shell, warn};
}

/** What the removal will do, before the question: each step, its hosts and its lines; then the spec edit and apply. */
export function removalPlan(spec: ClusterSpec, removal: Removal, steps: readonly Step[], config: string): string {
	const {node} = removal;
	const balancers = loadBalancerNodes(spec).filter((candidate) => candidate.name !== node.name);
	return [
		`kubeha removes ${node.name} (${node.roles.join(', ')}, ${node.address}) from cluster ${spec.name}:`,
		...stepLines(spec, steps),
		`  then ${config} without ${node.name} (the previous version kept), and kubeha apply${balancers.length > 0 && spec.loadBalancer.mode === 'keepalived-haproxy' ? `: haproxy (reloaded) and keepalived on ${balancers.map((b) => b.name).join(', ')} forget ${node.name}` : ''}.`,
		'each step checks first and skips what is already done, so the same command goes on after a failure.',
	].join('\n');
}
