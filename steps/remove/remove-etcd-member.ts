import {etcdAccesses} from '../../source/backup/etcd-access.ts';
import {sh} from '../../source/runner/shell.ts';
import type {ClusterSpec} from '../../source/spec/cluster.ts';
import {etcdMembers} from '../../source/spec/cluster.ts';
import type {NodeSpec} from '../../source/spec/schema.ts';
import {etcdctlFlags} from '../scripts/etcd.ts';
import type {Step, StepContext} from '../types.ts';
import {memberOf, parseMemberList} from './etcd-members.ts';
import type {Removal} from './types.ts';

/** Where etcdctl runs for this removal: a surviving control plane (stacked), a surviving member (external). */
export const etcdHost = (spec: ClusterSpec, removal: Removal): NodeSpec | undefined =>
	spec.etcd.topology === 'external' ? removal.etcdPeer : removal.controlPlane;

/**
The node's etcd member out of the etcd cluster, asked of a surviving member. Stacked: kubeadm reset has removed
it already when it could reach etcd (it only warns when it cannot, and does nothing on a node that does not
answer), so this checks and removes what is left. External: the removal itself (`etcdctl member remove`), before
the node's etcd is stopped. A stale member would count towards quorum and never vote.
*/
export function removeEtcdMember(removal: Removal): Step {
	const {node} = removal;
	const isMember = (spec: ClusterSpec) => etcdMembers(spec).some((member) => member.name === node.name);
	return {
		id: 'remove-etcd-member',
		title: `Remove ${node.name}'s etcd member from the etcd cluster (etcdctl member remove)`,
		hosts(spec) {
			const host = etcdHost(spec, removal);
			return isMember(spec) && host !== undefined ? [host] : [];
		},
		parallel: false,
		async run(ctx) {
			const functions = etcdctlPrelude(ctx.spec, ctx.host);
			const listed = await removal.shell.run(ctx.host, `${functions}\nkubeha_etcdctl member list -w simple`, {
				signal: ctx.signal,
				nothrow: true,
			});
			if (listed.exitCode !== 0) {
				unreachable(ctx, removal, listed.stderr);
				return;
			}

			const member = memberOf(parseMemberList(listed.stdout), node);
			if (member === undefined) {
				ctx.emit(`${node.name} is no member of the etcd cluster (any more)`);
				return;
			}

			await ctx.shell.run(`${functions}\n${sh`kubeha_etcdctl member remove ${member.id}`}`);
			ctx.emit(`removed ${node.name}'s etcd member ${member.id}`);
		},
		dryRun: (view) => [
			`etcdctl member list; etcdctl member remove <id> when ${node.name} is listed${view.spec.etcd.topology === 'stacked' ? ' (kubeadm reset removes it when it can)' : ''}`,
		],
	};
}

/**
Bash defining `kubeha_etcdctl ARGS…` on the host (kubeha backup's way in): the host's etcdctl for an external
member; for stacked etcd, the etcdctl in kubeadm's etcd static pod (crictl exec), as kubeadm nodes have none.
*/
function etcdctlPrelude(spec: ClusterSpec, host: NodeSpec): string {
	const access = etcdAccesses(spec).find((candidate) => candidate.node.name === host.name);
	if (access === undefined) {
		throw new Error(`${host.name} is no etcd member of ${spec.name}: the removal's etcd commands run on a member.`);
	}

	return access.prelude;
}

/**
etcd did not answer etcdctl. External: the removal cannot go on. Stacked: kubeha cannot tell whether kubeadm reset
removed the member, so the operator is told how to check; the rest of the removal goes on.
*/
function unreachable(ctx: StepContext, removal: Removal, stderr: string): void {
	const said = stderr.trim().split('\n').at(-1) ?? '';
	if (ctx.spec.etcd.topology === 'external') {
		throw new Error(
			`etcdctl on ${ctx.host.name} could not reach etcd (${said}), so ${removal.node.name}'s member was not removed. Check etcd on the members (systemctl status etcd), then run kubeha remove-node again.`,
		);
	}

	const etcdctl = `etcdctl ${etcdctlFlags('https://127.0.0.1:2379')}`;
	const text = `etcd did not answer etcdctl on ${ctx.host.name} (${said}), so kubeha could not check that ${removal.node.name}'s etcd member is gone. A member left behind counts towards quorum and never votes. On ${ctx.host.name}, in the etcd container (\`crictl exec -it $(crictl ps --name '^etcd$' -q) sh\`), run \`${etcdctl} member list\`, and when ${removal.node.name} is listed, \`${etcdctl} member remove <its ID>\``;
	ctx.emit(`warning: ${text}`);
	removal.warn(text);
}
