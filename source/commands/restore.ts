import {readLocalSnapshot} from '../backup/local-snapshot.ts';
import {timeStamp} from '../backup/names.ts';
import {checkRestore, type LocalSnapshot, type Member, restoreSnapshot} from '../backup/restore-run.ts';
import {UserError} from '../io/user-error.ts';
import {etcdDataDirectory} from '../render/etcd.ts';
import type {SessionDependencies} from '../session/dependencies.ts';
import {agreed, requireConsent} from '../session/gate.ts';
import type {CommandOutput} from '../session/output.ts';
import {prepare} from '../session/prepare.ts';
import {openSession, type SessionOptions} from '../session/session.ts';
import {type ClusterSpec, controlPlanes} from '../spec/cluster.ts';

export type RestoreOptions = SessionOptions & {readonly snapshot: string};

const stackedProcedure = 'docs/backup.md ("Stacked etcd: restore by hand")';

/**
`kubeha restore`: puts an etcd snapshot back onto every member of an external etcd cluster, after a check of
every member and the operator's confirmation.
*/
export async function restoreCommand(
	options: RestoreOptions,
	output: CommandOutput,
	dependencies: SessionDependencies,
): Promise<number> {
	const session = openSession(options, output, dependencies);
	const {spec} = await prepare(options.config, output);
	if (spec.etcd.topology !== 'external') {
		throw new UserError(
			`etcd.topology is "${spec.etcd.topology}": kubeha restore restores external etcd clusters only, because a stacked etcd is part of kubeadm's static pods on each control plane. Follow the procedure in ${stackedProcedure}.`,
		);
	}

	const snapshot = await readLocalSnapshot(options.snapshot, output.err);
	requireConsent(session, `kubeha restore replaces the data of etcd cluster ${spec.name}`);
	return session.withShell(spec, async (shell) => {
		const members = await checkRestore(spec, shell, timeStamp(new Date(dependencies.now())));
		output.out(restoreWarning(spec, snapshot, members));
		if (!(await agreed(session, `Restore etcd of cluster ${spec.name} from ${snapshot.path}?`))) {
			return 1;
		}

		const status = await restoreSnapshot({spec, members, snapshot, say: output.out});
		output.out(
			[
				`etcd of cluster ${spec.name} runs on the snapshot's data (revision ${status.revision}, ${status.totalKey} keys) on ${names(members.map((member) => member.node))}.`,
				`The data from before is kept on each member as ${members[0]?.previous}; delete it once the cluster is right.`,
				afterRestore(spec),
			].join('\n'),
		);
		return 0;
	});
}

/** kubeadm's static pods that read or cache etcd's data: stopped for the restore by moving them out of the manifests. */
const controlPlanePods = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'] as const;
const manifests = (directory: string) => controlPlanePods.map((pod) => `${directory}/${pod}.yaml`).join(' ');
const names = (nodes: readonly {readonly name: string}[]) => nodes.map((node) => node.name).join(', ');

/** What the operator reads before confirming: what is lost, what stops, what to do on the control planes. */
function restoreWarning(spec: ClusterSpec, snapshot: LocalSnapshot, members: readonly Member[]): string {
	return [
		`kubeha restore replaces the data of etcd cluster ${spec.name} on ${names(members.map((member) => member.node))} with ${snapshot.path} (${snapshot.size} bytes, SHA-256 ${snapshot.sha256}).`,
		'  - Everything the cluster wrote after that snapshot is lost: objects created since are gone, objects deleted since come back.',
		'  - etcd stops on every member: the Kubernetes API is down until the members are back.',
		`  - Stop the control plane before you confirm, so that nothing writes to etcd or acts on state newer than the snapshot: on each control plane (${names(controlPlanes(spec))}) run \`mv ${manifests('/etc/kubernetes/manifests')} /etc/kubernetes/\` and wait until \`crictl ps\` lists none of ${controlPlanePods.join(', ')}.`,
		`  - Each member's ${etcdDataDirectory} is kept as ${members[0]?.previous ?? ''}.`,
	].join('\n');
}

/** What the operator does once etcd is back (Kubernetes' advice for a restore: restart what cached the old state). */
const afterRestore = (spec: ClusterSpec): string =>
	`Now start the control plane again: on ${names(controlPlanes(spec))} run \`mv ${manifests('/etc/kubernetes')} /etc/kubernetes/manifests/\`, then \`systemctl restart kubelet\` on every node.`;
