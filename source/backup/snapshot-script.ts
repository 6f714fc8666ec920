import {z} from 'zod';
import {sh} from '../runner/shell.ts';
import type {EtcdAccess} from './etcd-access.ts';

/**
Bash that defines `kubeha_take_snapshot TARGET`: a snapshot of the member saved in a private scratch directory,
checked with `snapshot status` (which fails on a damaged file), made 0600 and moved to TARGET; it prints the
status JSON. The scratch directory goes whatever happens. Both `kubeha backup` and the scheduled backup use it.
*/
export function takeSnapshotFunction(access: EtcdAccess): string {
	return [
		access.prelude,
		'kubeha_take_snapshot() (',
		`\tkubeha_work=$(mktemp -d ${sh`${`${access.scratchDirectory}/kubeha-snapshot-XXXXXX`}`})`,
		'\ttrap \'rm -rf -- "$kubeha_work"\' EXIT',
		// etcdctl says "Snapshot saved at …" on stdout: the caller reads only the status from there.
		'\tkubeha_etcdctl snapshot save "$kubeha_work/snapshot.db" >&2',
		'\tkubeha_status=$(kubeha_snapshot_status "$kubeha_work/snapshot.db")',
		'\tchmod 600 "$kubeha_work/snapshot.db"',
		'\tmv -f -- "$kubeha_work/snapshot.db" "$1"',
		'\techo "$kubeha_status"',
		')',
	].join('\n');
}

/** What etcd says about a snapshot file (`snapshot status -w json`). */
export const snapshotStatusSchema = z.object({
	hash: z.number().int(),
	revision: z.number().int(),
	totalKey: z.number().int(),
	totalSize: z.number().int(),
});
export type SnapshotStatus = z.infer<typeof snapshotStatusSchema>;

/** A snapshot on a host, as `snapshotScript` reports it. */
export type RemoteSnapshot = {
	readonly path: string;
	readonly size: number;
	readonly sha256: string;
	readonly status: SnapshotStatus;
};

const remoteSnapshotSchema = z.object({
	path: z.string().startsWith('/'),
	size: z.number().int().positive(),
	sha256: z.string().regex(/^[\da-f]{64}$/),
	status: snapshotStatusSchema,
});

const snapshotMarker = 'kubeha-snapshot: ';

/**
A script that checks the member's health, takes a snapshot into a private directory under /var/tmp and prints
one line: the marker, then {path, size, sha256, status} as JSON. The directory stays for the copy (the caller
removes it with `removeSnapshotScript`), unless the script fails.
*/
export function snapshotScript(access: EtcdAccess): string {
	return [
		takeSnapshotFunction(access),
		'kubeha_dir=$(mktemp -d /var/tmp/kubeha-backup-XXXXXX)',
		'trap \'rm -rf -- "$kubeha_dir"\' EXIT',
		'kubeha_etcdctl --command-timeout 5s endpoint health >&2',
		'kubeha_snapshot="$kubeha_dir/snapshot.db"',
		'kubeha_status=$(kubeha_take_snapshot "$kubeha_snapshot")',
		'kubeha_sha256=$(sha256sum < "$kubeha_snapshot")',
		`printf '${snapshotMarker}{"path":"%s","size":%s,"sha256":"%s","status":%s}\\n' "$kubeha_snapshot" "$(stat -c %s "$kubeha_snapshot")" "\${kubeha_sha256%% *}" "$kubeha_status"`,
		'trap - EXIT',
	].join('\n');
}

/** The snapshot `snapshotScript` reported; a missing or malformed report is a bug worth its own message. */
export function parseSnapshotReport(stdout: string, node: string): RemoteSnapshot {
	const line = stdout
		.split('\n')
		.reverse()
		.find((candidate) => candidate.startsWith(snapshotMarker));
	const parsed =
		line === undefined ? undefined : remoteSnapshotSchema.safeParse(jsonOrUndefined(line.slice(snapshotMarker.length)));
	if (!parsed?.success) {
		throw new Error(
			`the snapshot on ${node} was taken, but its report is not what kubeha expects (${line ?? 'no report line'}): the etcd tools may print a format this kubeha does not know. Run \`etcdctl snapshot status\` on ${node} to see it.`,
		);
	}

	return parsed.data;
}

function jsonOrUndefined(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** Removes a snapshot and the private directory it was taken into (rmdir: nothing else goes with it). */
export const removeSnapshotScript = (snapshotPath: string): string =>
	sh`rm -f -- ${snapshotPath} && rmdir -- "$(dirname -- ${snapshotPath})"`;
