import {mkdir, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import {dirname, join, relative} from 'node:path';
import type {AppliedFiles} from '../plan/file-plan.ts';
import type {HostFiles} from '../render/types.ts';

/*
The record of the last successful apply: each host's rendered files, secrets masked, under
<state directory>/applied/<node>/<path>. A dry run compares the spec's files with it, because a dry run runs no
command on the hosts and so cannot read their copies.
*/

/** Where the masked copies of the last successfully applied files are kept, per host. */
export const appliedDirectory = (stateDirectory: string) => join(stateDirectory, 'applied');

/** The recorded copies, host → path → content; none when nothing was recorded yet. */
export async function readApplied(directory: string): Promise<AppliedFiles> {
	const entries = await readdir(directory, {recursive: true, withFileTypes: true}).catch(() => []);
	const applied = new Map<string, Map<string, string>>();
	for (const entry of entries.filter((candidate) => candidate.isFile())) {
		const path = join(entry.parentPath, entry.name);
		const [host = '', ...rest] = relative(directory, path).split('/');
		const files = applied.get(host) ?? new Map<string, string>();
		files.set(`/${rest.join('/')}`, await readFile(path, 'utf8'));
		applied.set(host, files);
	}

	return applied;
}

/** Replaces the record with the files of this apply (masked: the record holds no secret). */
export async function recordApplied(directory: string, hosts: readonly HostFiles[]): Promise<void> {
	await rm(directory, {recursive: true, force: true});
	for (const host of hosts) {
		for (const file of host.files) {
			const path = join(directory, host.node, file.path);
			await mkdir(dirname(path), {recursive: true, mode: 0o700});
			await writeFile(path, file.content, {mode: 0o600});
		}
	}
}
