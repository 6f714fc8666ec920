import {createHash} from 'node:crypto';
import {link, open, rm} from 'node:fs/promises';
import {type HostShell, sh} from '../runner/shell.ts';

/**
Bytes per command when copying from the host. A snapshot can be gigabytes while a command's output is collected in
memory, so files cross the ssh session in pieces, each as base64 (the session carries text), each in a command of
its own on the same multiplexed connection.
*/
export const downloadChunkBytes = 8 * 1024 * 1024;

/**
Bytes per command when copying to the host. A piece travels inside the script, which bash reads from its standard
input one byte at a time (one read call each), and a word of megabytes takes bash longer than linear time to
parse: small pieces keep an upload at a few seconds per 10 MiB.
*/
export const uploadChunkBytes = 512 * 1024;

const chunkCount = (size: number, chunkBytes: number) => Math.ceil(size / chunkBytes);

/** Piece `index` of a file on the host, as base64 on one line. */
export const readChunkScript = (path: string, index: number): string =>
	`${sh`dd if=${path} bs=${downloadChunkBytes} skip=${index} count=1 iflag=fullblock status=none`} | base64 -w 0`;

/** Writes piece `index` of a file on the host in place, so that sending a piece again changes nothing. */
export const writeChunkScript = (path: string, index: number, bytes: Uint8Array): string =>
	`printf %s '${Buffer.from(bytes).toString('base64')}' | base64 -d | ${sh`dd of=${path} bs=${uploadChunkBytes} seek=${index} conv=notrunc iflag=fullblock status=none`}`;

/** The SHA-256 of a file on the host, as hex. */
export const remoteSha256Script = (path: string): string => `sha256sum < ${sh`${path}`} | cut -d ' ' -f 1`;

/**
Copies a file of `size` bytes from the host to `localPath` (mode 0600), which must not exist yet, and checks that
the copy has the SHA-256 the host reported. Nothing is left at `localPath` when the copy fails.
*/
export async function download(
	shell: HostShell,
	remote: {readonly path: string; readonly size: number; readonly sha256: string},
	localPath: string,
): Promise<void> {
	const partial = `${localPath}.part`;
	const file = await open(partial, 'wx', 0o600);
	try {
		const hash = createHash('sha256');
		for (let index = 0; index < chunkCount(remote.size, downloadChunkBytes); index++) {
			const {stdout} = await shell.run(readChunkScript(remote.path, index));
			const bytes = Buffer.from(stdout.trim(), 'base64');
			const expected = Math.min(downloadChunkBytes, remote.size - index * downloadChunkBytes);
			if (bytes.length !== expected) {
				throw new Error(
					`piece ${index + 1} of ${remote.path} came with ${bytes.length} bytes instead of ${expected}: the file changed or the connection cut it short. Run the command again.`,
				);
			}

			await file.write(bytes);
			hash.update(bytes);
		}

		await file.sync();
		const digest = hash.digest('hex');
		if (digest !== remote.sha256) {
			throw new Error(
				`the copy of ${remote.path} has SHA-256 ${digest}, the host reported ${remote.sha256}: it was damaged on the way. Run the command again.`,
			);
		}

		await file.close();
		// link refuses to replace a file that appeared meanwhile, as 'wx' would.
		await link(partial, localPath);
	} finally {
		await file.close().catch(() => undefined);
		await rm(partial, {force: true});
	}
}

/** Copies a local file to `remotePath` on the host (replacing it) and checks the copy's SHA-256 there. */
export async function upload(
	shell: HostShell,
	local: {readonly path: string; readonly size: number; readonly sha256: string},
	remotePath: string,
): Promise<void> {
	const file = await open(local.path, 'r');
	try {
		await shell.run(sh`install -m 0600 /dev/null ${remotePath}`);
		const buffer = Buffer.alloc(uploadChunkBytes);
		for (let index = 0; index < chunkCount(local.size, uploadChunkBytes); index++) {
			const {bytesRead} = await file.read(buffer, 0, uploadChunkBytes, index * uploadChunkBytes);
			await shell.run(writeChunkScript(remotePath, index, buffer.subarray(0, bytesRead)));
		}
	} finally {
		await file.close();
	}

	const {stdout} = await shell.run(remoteSha256Script(remotePath));
	if (stdout.trim() !== local.sha256) {
		throw new Error(
			`the copy of ${local.path} at ${remotePath} has SHA-256 ${stdout.trim()}, not ${local.sha256}: it was damaged on the way. Run the command again.`,
		);
	}
}
