import {join} from 'node:path';
import {writeFileAtomic} from '../io/atomic-write.ts';
import {UserError} from '../io/user-error.ts';
import {bindShell, CommandError, type Shell} from '../runner/shell.ts';
import type {ClusterSpec} from '../spec/cluster.ts';
import {etcdAccesses} from './etcd-access.ts';
import {checksumFileName, checksumLine, snapshotFileName} from './names.ts';
import {parseSnapshotReport, type RemoteSnapshot, removeSnapshotScript, snapshotScript} from './snapshot-script.ts';
import {download} from './transfer.ts';

export type Backup = {
	/** The member the snapshot came from. */
	readonly node: string;
	readonly file: string;
	readonly checksumFile: string;
	readonly snapshot: RemoteSnapshot;
};

/**
Takes a snapshot on the first etcd member that gives one (healthy, tools in place), copies it into
`outputDirectory` with a checksum file beside it (both 0600) and removes it from the member.
*/
export async function takeBackup(request: {
	readonly spec: ClusterSpec;
	readonly shell: Shell;
	readonly outputDirectory: string;
	readonly time: Date;
	/** Progress for the operator. */
	readonly say: (text: string) => void;
}): Promise<Backup> {
	const {spec, outputDirectory, say} = request;
	const failures: string[] = [];
	const accesses = etcdAccesses(spec);
	for (const access of accesses) {
		const host = bindShell(request.shell, access.node);
		let snapshot: RemoteSnapshot;
		try {
			snapshot = parseSnapshotReport((await host.run(snapshotScript(access))).stdout, access.node.name);
		} catch (error) {
			if (!(error instanceof CommandError)) {
				throw error;
			}

			failures.push(error.message);
			say(`no snapshot from ${access.node.name}: ${error.message}`);
			continue;
		}

		const name = snapshotFileName(spec, request.time);
		const file = join(outputDirectory, name);
		const checksumFile = join(outputDirectory, checksumFileName(name));
		say(
			`snapshot taken on ${access.node.name}: revision ${snapshot.status.revision}, ${snapshot.status.totalKey} keys, ${snapshot.size} bytes; copying it to ${file}`,
		);
		try {
			await download(host, snapshot, file);
		} finally {
			// A snapshot holds every Secret of the cluster: it does not stay on the member.
			await host.run(removeSnapshotScript(snapshot.path), {nothrow: true});
		}

		await writeFileAtomic(checksumFile, checksumLine(snapshot.sha256, name), 0o600);
		return {node: access.node.name, file, checksumFile, snapshot};
	}

	throw new UserError(
		`no etcd member of ${spec.name} gave a snapshot (tried ${accesses.map((access) => access.node.name).join(', ')}): ${failures.join('; ')}. A snapshot needs ${accesses[0]?.requirement ?? 'an etcd member'}; fix what the messages name on one member and run kubeha backup again.`,
		1,
	);
}
