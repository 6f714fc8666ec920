import {createHash} from 'node:crypto';
import {createReadStream} from 'node:fs';
import {readFile, stat} from 'node:fs/promises';
import {basename, resolve} from 'node:path';
import {UserError} from '../io/user-error.ts';
import {checksumFileName, checksumFor} from './names.ts';
import type {LocalSnapshot} from './restore-run.ts';

/**
The snapshot file the operator named, with its size and SHA-256, checked against the checksum file beside it
when there is one (kubeha backup writes it). `warn` hears when there is none.
*/
export async function readLocalSnapshot(path: string, warn: (text: string) => void): Promise<LocalSnapshot> {
	const absolute = resolve(path);
	const info = await stat(absolute).catch(() => undefined);
	if (!info?.isFile() || info.size === 0) {
		throw new UserError(
			`--snapshot ${path}: ${info ? 'is not a file with data' : 'does not exist'}. Give the .db file kubeha backup wrote (or one from \`etcdctl snapshot save\`).`,
		);
	}

	const hash = createHash('sha256');
	for await (const chunk of createReadStream(absolute)) {
		hash.update(chunk as Buffer);
	}

	const sha256 = hash.digest('hex');
	const checksumPath = checksumFileName(absolute);
	const checksums = await readFile(checksumPath, 'utf8').catch(() => undefined);
	if (checksums === undefined) {
		warn(
			`warning: ${checksumPath} is not there, so kubeha cannot tell whether the file changed since the backup; the members still check it with \`snapshot status\` before anything stops.`,
		);
	} else if (checksumFor(checksums, basename(absolute)) !== sha256) {
		throw new UserError(
			`--snapshot ${path}: its SHA-256 is ${sha256}, but ${checksumPath} says ${checksumFor(checksums, basename(absolute)) ?? `nothing for ${basename(absolute)}`}. The file changed or is not the one the checksum belongs to: use an intact copy of the backup.`,
			1,
		);
	}

	return {path: absolute, size: info.size, sha256};
}
