import {randomBytes} from 'node:crypto';
import {chmod, copyFile, mkdir, open, rename, rm} from 'node:fs/promises';
import {basename, dirname, join} from 'node:path';

/** The suffix of the copy kept of a file or directory that kubeha replaced. */
export const previousSuffix = '.previous';

/** A sibling temporary name: same directory, so the final rename stays on one file system and is atomic. */
export const temporarySibling = (path: string): string =>
	join(dirname(path), `.${basename(path)}.kubeha-${process.pid}-${randomBytes(4).toString('hex')}`);

/**
Writes a file so that readers see the old content or the new, never a part: a temporary file in the same
directory, flushed, then renamed over the target. The version it replaces is kept as `<path>.previous`.
*/
export async function writeFileAtomic(path: string, content: string | Uint8Array, mode = 0o644): Promise<void> {
	await mkdir(dirname(path), {recursive: true});
	const temporary = temporarySibling(path);
	try {
		const handle = await open(temporary, 'wx', mode);
		try {
			await handle.writeFile(content);
			// The umask may have narrowed the mode at creation; the mode asked for is the mode meant.
			await handle.chmod(mode);
			await handle.sync();
		} finally {
			await handle.close();
		}

		await keepPrevious(path);
		await rename(temporary, path);
	} catch (error) {
		await rm(temporary, {force: true});
		throw error;
	}
}

async function keepPrevious(path: string): Promise<void> {
	try {
		await copyFile(path, path + previousSuffix);
		await chmod(path + previousSuffix, 0o600);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
			throw error;
		}
	}
}
