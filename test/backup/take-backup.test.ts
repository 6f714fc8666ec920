import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, describe, it} from 'node:test';
import {takeBackup} from '../../source/backup/take-backup.ts';
import {UserError} from '../../source/io/user-error.ts';
import {specOf} from '../helpers/spec.ts';
import {fakeEtcdTools, fakeSnapshotBytes} from './fake-etcd-tools.ts';

const spec = specOf(undefined, 'external-etcd');
const [etcd1, etcd2] = spec.nodes.filter((node) => node.roles.includes('etcd'));
const time = new Date('2026-11-22T07:13:05Z');
const outputs = mkdtempSync(join(tmpdir(), 'kubeha-backups-'));
after(() => rmSync(outputs, {recursive: true, force: true}));

describe('kubeha backup takes one snapshot and copies it here', () => {
	it('goes on to the next member when one does not answer, and copies the snapshot with its checksum', async () => {
		assert.ok(etcd1 && etcd2);
		const fakes = fakeEtcdTools(['etcdctl'], {refuse: [`https://${etcd1.address}:2379`]});
		const outputDirectory = mkdtempSync(join(outputs, 'next-'));
		const said: string[] = [];
		try {
			const backup = await takeBackup({
				spec,
				shell: fakes.shell,
				outputDirectory,
				time,
				say: (text) => said.push(text),
			});
			assert.equal(backup.node, etcd2.name);
			assert.match(said[0] ?? '', new RegExp(`^no snapshot from ${etcd1.name}: .*context deadline exceeded`));
			assert.deepEqual(readdirSync(outputDirectory).sort(), [
				'etcd-core-20261122T071305Z.db',
				'etcd-core-20261122T071305Z.db.sha256',
			]);
			assert.equal(readFileSync(backup.file, 'utf8'), fakeSnapshotBytes);
			const digest = createHash('sha256').update(fakeSnapshotBytes).digest('hex');
			assert.equal(readFileSync(backup.checksumFile, 'utf8'), `${digest}  etcd-core-20261122T071305Z.db\n`);
			for (const file of [backup.file, backup.checksumFile]) assert.equal(statSync(file).mode & 0o777, 0o600);
			assert.equal(existsSync(backup.snapshot.path), false, 'the snapshot does not stay on the member');
		} finally {
			fakes.remove();
		}
	});

	it('names every member and why when none gives a snapshot', async () => {
		const fakes = fakeEtcdTools(['etcdctl'], {refuse: ['health']});
		const outputDirectory = mkdtempSync(join(outputs, 'none-'));
		try {
			await assert.rejects(
				takeBackup({spec, shell: fakes.shell, outputDirectory, time, say: () => undefined}),
				(error: unknown) => {
					assert.ok(error instanceof UserError);
					assert.match(error.message, /^no etcd member of core gave a snapshot \(tried etcd1, etcd2, etcd3\): /);
					assert.equal(error.message.match(/context deadline exceeded/g)?.length, 3);
					assert.match(error.message, /needs etcdctl on the node .* and a healthy etcd member/);
					return true;
				},
			);
			assert.deepEqual(readdirSync(outputDirectory), []);
		} finally {
			fakes.remove();
		}
	});
});
