import {createTwoFilesPatch} from 'diff';
import type {Step} from '../../steps/types.ts';
import type {HostFiles} from '../render/types.ts';
import {type ClusterSpec, controlPlaneEndpoint} from '../spec/cluster.ts';

/** What `kubeha apply` shows before it asks to go on: the cluster in one line, then each step and its hosts. */
export function planSummary(spec: ClusterSpec, steps: readonly Step[]): string {
	const {loadBalancer} = spec;
	const balancer =
		loadBalancer.mode === 'keepalived-haproxy' ? `keepalived-haproxy (${loadBalancer.deploy})` : loadBalancer.mode;
	const width = Math.max(...steps.map((step) => step.id.length));
	return [
		`cluster ${spec.name}: Kubernetes ${spec.kubernetes.version}, ${balancer}, ${spec.etcd.topology} etcd, endpoint ${controlPlaneEndpoint(spec)}, ${spec.nodes.length} nodes`,
		...steps.map((step, index) => {
			const hosts = step.hosts(spec).map((node) => node.name);
			return `${String(index + 1).padStart(3)}. ${step.id.padEnd(width)}  ${hosts.join(', ') || '(nothing to do for this spec)'}`;
		}),
		'each step checks each host first and leaves what is already in place alone.',
	].join('\n');
}

/** A file of a host compared with the copy kubeha recorded at the last successful apply. */
export type FileChange = {
	readonly host: string;
	readonly path: string;
	readonly status: 'new' | 'changed' | 'unchanged';
	/** Unified diff from the recorded copy, for a changed file. */
	readonly diff?: string;
};

/** Recorded copies: host → path → content. */
export type AppliedFiles = ReadonlyMap<string, ReadonlyMap<string, string>>;

/**
Every rendered file against its recorded copy. Both sides are rendered with the secrets masked, so neither the
record nor a diff holds a secret (a change of a secret alone shows as unchanged).
*/
export function fileChanges(current: readonly HostFiles[], applied: AppliedFiles): FileChange[] {
	return current.flatMap((host) =>
		host.files.map((file): FileChange => {
			const before = applied.get(host.node)?.get(file.path);
			if (before === undefined) {
				return {host: host.node, path: file.path, status: 'new'};
			}

			if (before === file.content) {
				return {host: host.node, path: file.path, status: 'unchanged'};
			}

			const diff = createTwoFilesPatch(
				`${host.node}:${file.path}`,
				`${host.node}:${file.path}`,
				before,
				file.content,
				'last apply',
				'this spec',
			);
			return {host: host.node, path: file.path, status: 'changed', diff};
		}),
	);
}

/** The file section of a dry run: diffs of changed files, the rest counted; without a record, says so. */
export function formatFileChanges(changes: readonly FileChange[], recordDirectory: string, recorded: boolean): string {
	if (!recorded) {
		return [
			`files: no earlier apply is recorded in ${recordDirectory}, so kubeha cannot tell what the hosts have now;`,
			`it writes each of the ${changes.length} files only where the host's copy differs (the steps above list them).`,
		].join('\n');
	}

	const count = (status: FileChange['status']) => changes.filter((change) => change.status === status).length;
	return [
		`files, compared with the last successful apply (${recordDirectory}; secrets masked): ${count('changed')} changed, ${count('new')} new, ${count('unchanged')} unchanged`,
		...changes.flatMap((change) =>
			change.status === 'changed'
				? [change.diff ?? '']
				: change.status === 'new'
					? [`new: ${change.host}:${change.path}`]
					: [],
		),
	].join('\n');
}
