import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, readdirSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {writeBundleDirectory} from '../../source/bundle/write.ts';

test('an export that fails midway leaves neither a bundle directory nor temporary files', async () => {
	const parent = mkdtempSync(join(tmpdir(), 'kubeha-write-'));
	// The third entry needs `a` to be a directory after the first made it a file: the write fails midway.
	const entries = [
		{path: 'SHA256SUMS', content: '', mode: 0o644},
		{path: 'a', content: 'file', mode: 0o644},
		{path: 'a/b', content: 'nested', mode: 0o644},
	];
	await assert.rejects(writeBundleDirectory(join(parent, 'bundle'), entries, {ownerOnly: false}));
	assert.equal(existsSync(join(parent, 'bundle')), false);
	assert.deepEqual(readdirSync(parent), []);
});
