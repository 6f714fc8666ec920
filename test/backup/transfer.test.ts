import assert from 'node:assert/strict';
import {createHash, randomBytes} from 'node:crypto';
import {existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, describe, it} from 'node:test';
import {download, downloadChunkBytes, upload, uploadChunkBytes} from '../../source/backup/transfer.ts';
import {createLocalShell} from '../../source/runner/local-shell.ts';
import {bindShell} from '../../source/runner/shell.ts';

// The real scripts (dd, base64, sha256sum) through a local bash, the way the ssh shell runs them on a host.
const host = bindShell(createLocalShell(), {name: 'local', address: '127.0.0.1'});
const directory = mkdtempSync(join(tmpdir(), 'kubeha-transfer-'));
after(() => rmSync(directory, {recursive: true, force: true}));

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A file of `size` random bytes in the test directory. */
function fileOf(name: string, size: number): {path: string; size: number; sha256: string; bytes: Buffer} {
	const bytes = randomBytes(size);
	const path = join(directory, name);
	writeFileSync(path, bytes);
	return {path, size, sha256: sha256(bytes), bytes};
}

describe('copying a file in pieces over the shell', () => {
	for (const size of [1, downloadChunkBytes + 3]) {
		it(`downloads ${size} bytes intact (${Math.ceil(size / downloadChunkBytes)} pieces), readable by the operator alone`, async () => {
			const remote = fileOf(`remote-${size}`, size);
			const local = join(directory, `local-${size}.db`);
			await download(host, remote, local);
			assert.deepEqual(readFileSync(local), remote.bytes);
			assert.equal(statSync(local).mode & 0o777, 0o600);
			assert.equal(existsSync(`${local}.part`), false);
		});
	}

	for (const size of [1, uploadChunkBytes, 2 * uploadChunkBytes + 5]) {
		it(`uploads ${size} bytes intact (${Math.ceil(size / uploadChunkBytes)} pieces), readable by root alone`, async () => {
			const local = fileOf(`upload-${size}`, size);
			const remote = join(directory, `uploaded-${size}`);
			writeFileSync(remote, 'a longer file that was there before the upload');
			await upload(host, local, remote);
			assert.deepEqual(readFileSync(remote), local.bytes);
			assert.equal(statSync(remote).mode & 0o777, 0o600);
		});
	}

	it('refuses a copy whose checksum differs, and leaves nothing behind', async () => {
		const remote = fileOf('damaged', 100);
		const local = join(directory, 'damaged.db');
		await assert.rejects(download(host, {...remote, sha256: '0'.repeat(64)}, local), /damaged on the way/);
		assert.equal(existsSync(local), false);
		assert.equal(existsSync(`${local}.part`), false);
	});

	it('refuses a size the file does not have (the file changed meanwhile)', async () => {
		const remote = fileOf('shorter', 100);
		await assert.rejects(
			download(host, {...remote, size: 101}, join(directory, 'shorter.db')),
			/100 bytes instead of 101/,
		);
	});

	it('never replaces a file that is already there', async () => {
		const remote = fileOf('twice', 10);
		const local = join(directory, 'twice.db');
		writeFileSync(local, 'older backup');
		await assert.rejects(download(host, remote, local), {code: 'EEXIST'});
		assert.equal(readFileSync(local, 'utf8'), 'older backup');
	});
});
