import {UserError} from '../io/user-error.ts';
import {bindShell, type HostShell, type Shell} from '../runner/shell.ts';
import type {ClusterSpec} from '../spec/cluster.ts';
import {
	type RestoreMember,
	removeUploadScript,
	restoreCheckScript,
	restoreMembers,
	stageRestoreScript,
	startEtcdScript,
	stopEtcdScript,
	swapScript,
	unstageScript,
	uploadDirectoryScript,
	uploadedStatusScript,
} from './restore-scripts.ts';
import {type SnapshotStatus, snapshotStatusSchema} from './snapshot-script.ts';
import {upload} from './transfer.ts';

/** The snapshot on the operator's machine. */
export type LocalSnapshot = {readonly path: string; readonly size: number; readonly sha256: string};

export type Member = RestoreMember & {readonly host: HostShell};

/** Runs `work` on every member at once; when any fails, the error names each member that failed and why. */
async function onEvery(members: readonly Member[], what: string, work: (member: Member) => Promise<unknown>) {
	const results = await Promise.allSettled(members.map(work));
	const failed = members.flatMap((member, index) => {
		const result = results[index];
		return result?.status === 'rejected' ? [`${member.node.name}: ${(result.reason as Error).message}`] : [];
	});
	if (failed.length > 0) {
		throw new Error(`${what} failed on ${failed.join('; ')}`);
	}
}

/** The members of the external etcd cluster, each checked ready for a restore (nothing changes yet). */
export async function checkRestore(spec: ClusterSpec, shell: Shell, stamp: string): Promise<Member[]> {
	const members = restoreMembers(spec, stamp).map((member) => ({...member, host: bindShell(shell, member.node)}));
	await onEvery(members, 'the check before the restore', (member) => member.host.run(restoreCheckScript(member))).catch(
		(error: unknown) => {
			throw new UserError(`${(error as Error).message}. Nothing was changed.`, 1);
		},
	);
	return members;
}

/**
Restores the snapshot onto every member: upload and check it everywhere, stop etcd everywhere, restore into a
fresh data directory on each, and only when every member has one, swap them in and start etcd. A failure before
the swap starts etcd again on its old data; the old data directories are kept either way. Resolves to what etcd
says about the snapshot.
*/
export async function restoreSnapshot(request: {
	readonly spec: ClusterSpec;
	readonly members: readonly Member[];
	readonly snapshot: LocalSnapshot;
	readonly say: (text: string) => void;
}): Promise<SnapshotStatus> {
	const {spec, members, snapshot, say} = request;
	const statuses: SnapshotStatus[] = [];
	try {
		await onEvery(members, 'copying the snapshot', async (member) => {
			await member.host.run(uploadDirectoryScript(member));
			await upload(member.host, snapshot, member.upload);
			const {stdout} = await member.host.run(uploadedStatusScript(member));
			statuses.push(snapshotStatusSchema.parse(JSON.parse(stdout)));
			say(`${member.node.name}: snapshot copied and checked`);
		});
		await onEvery(members, 'stopping etcd', (member) => member.host.run(stopEtcdScript));
		say(`etcd stopped on ${members.map((member) => member.node.name).join(', ')}`);
		await onEvery(members, 'restoring the snapshot', (member) => member.host.run(stageRestoreScript(spec, member)));
	} catch (error) {
		await onEvery(members, 'removing what the restore staged', (member) =>
			member.host.run(unstageScript(member)),
		).catch(() => undefined);
		await startAgain(members, say);
		throw new UserError(
			`${(error as Error).message}. etcd runs on its old data again (check \`etcdctl endpoint health\`); nothing was restored.`,
			1,
		);
	} finally {
		await onEvery(members, 'removing the uploaded snapshot', (member) =>
			member.host.run(removeUploadScript(member)),
		).catch(() => undefined);
	}

	await onEvery(members, 'putting the restored data in place', (member) => member.host.run(swapScript(member))).catch(
		(error: unknown) => {
			throw new UserError(
				`${(error as Error).message}. etcd is stopped on every member. On each, /var/lib/etcd should be the restored data (kept before as ${members[0]?.previous}); fix the named member by hand, then \`systemctl start etcd\` on all.`,
				1,
			);
		},
	);
	say('restored data in place; starting etcd');
	await onEvery(members, 'starting etcd on the restored data', (member) => member.host.run(startEtcdScript(member)));
	const [status] = statuses;
	if (status === undefined) {
		throw new Error('the restore has no snapshot status, though every member reported one');
	}

	return status;
}

/** After a failed restore: etcd started again on every member, on whatever data it has. */
async function startAgain(members: readonly Member[], say: (text: string) => void): Promise<void> {
	await onEvery(members, 'starting etcd again', (member) => member.host.run(startEtcdScript(member))).then(
		() => say('etcd started again on its old data'),
		(error: unknown) => say(`etcd did not start again everywhere: ${(error as Error).message}`),
	);
}
