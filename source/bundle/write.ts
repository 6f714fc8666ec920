import {existsSync} from 'node:fs';
import {chmod, mkdir, rename, rm, writeFile} from 'node:fs/promises';
import {dirname, join} from 'node:path';
import {create} from 'tar';
import {previousSuffix, temporarySibling} from '../io/atomic-write.ts';
import {UserError} from '../io/user-error.ts';
import type {BundleEntry} from './build.ts';

/** Every tar entry gets this time, so that the same bundle gives the same bytes. */
const epoch = new Date(0);

/**
Writes a bundle so that an interrupted export never leaves a directory that looks complete: everything goes into
a temporary sibling, which replaces `directory` in one rename. A bundle already there is kept as
`<directory>.previous`; anything else already there is left alone and refused.
*/
export async function writeBundleDirectory(
	directory: string,
	entries: readonly BundleEntry[],
	options: {readonly ownerOnly: boolean},
): Promise<void> {
	if (existsSync(directory) && !existsSync(join(directory, 'SHA256SUMS'))) {
		throw new UserError(
			`${directory} exists and is not a kubeha bundle; kubeha will not replace it. Name a new directory with -o.`,
		);
	}

	const directoryMode = options.ownerOnly ? 0o700 : 0o755;
	const temporary = temporarySibling(directory);
	try {
		await mkdir(temporary, {mode: directoryMode});
		await chmod(temporary, directoryMode);
		for (const entry of entries) {
			const path = join(temporary, entry.path);
			await mkdir(dirname(path), {recursive: true, mode: directoryMode});
			await writeFile(path, entry.content, {mode: entry.mode});
			await chmod(path, entry.mode);
		}

		if (existsSync(directory)) {
			await rm(directory + previousSuffix, {recursive: true, force: true});
			await rename(directory, directory + previousSuffix);
		}

		await rename(temporary, directory);
	} catch (error) {
		await rm(temporary, {recursive: true, force: true});
		throw error;
	}
}

/** A gzipped tarball of a written bundle directory, byte-identical for identical bundles. */
export async function writeBundleTarball(
	directory: string,
	entries: readonly BundleEntry[],
	tarFile: string,
	options: {readonly ownerOnly: boolean},
): Promise<void> {
	const mode = options.ownerOnly ? 0o600 : 0o644;
	const temporary = temporarySibling(tarFile);
	try {
		await create(
			{gzip: {level: 9}, file: temporary, cwd: directory, portable: true, mtime: epoch, mode},
			entries.map((entry) => entry.path),
		);
		await chmod(temporary, mode);
		if (existsSync(tarFile)) {
			await rename(tarFile, tarFile + previousSuffix);
		}

		await rename(temporary, tarFile);
	} catch (error) {
		await rm(temporary, {force: true});
		throw error;
	}
}
