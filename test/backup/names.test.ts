import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {checksumFor, checksumLine, snapshotFileName, timeStamp} from '../../source/backup/names.ts';
import {specOf} from '../helpers/spec.ts';

describe('backup file names', () => {
	it('stamps UTC time to the second, so names sort by time', () => {
		assert.equal(timeStamp(new Date('2026-11-22T07:13:05.987Z')), '20261122T071305Z');
		const names = ['2026-11-22T10:00:00Z', '2026-11-22T09:59:59Z', '2026-12-01T00:00:00Z'].map((time) =>
			snapshotFileName(specOf(), new Date(time)),
		);
		assert.deepEqual([...names].sort(), [names[1], names[0], names[2]]);
		assert.equal(names[0], `etcd-${specOf().name}-20261122T100000Z.db`);
	});

	it('reads back the checksum line it writes, as sha256sum writes and reads it', () => {
		const digest = 'a'.repeat(64);
		const text = `${'b'.repeat(64)}  other.db\n${checksumLine(digest, 'etcd-x.db')}`;
		assert.equal(checksumFor(text, 'etcd-x.db'), digest);
		// sha256sum's binary-mode marker.
		assert.equal(checksumFor(`${digest} *etcd-x.db\n`, 'etcd-x.db'), digest);
		assert.equal(checksumFor(text, 'missing.db'), undefined);
		assert.equal(checksumFor(`${digest.slice(1)}  etcd-x.db\n`, 'etcd-x.db'), undefined);
	});
});
