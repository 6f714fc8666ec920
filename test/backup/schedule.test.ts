import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {describe, it} from 'node:test';
import {etcdAccesses} from '../../source/backup/etcd-access.ts';
import {scheduledBackupPaths, scheduleFiles} from '../../source/backup/schedule.ts';
import {specOf} from '../helpers/spec.ts';
import {templates} from '../helpers/templates.ts';

describe('the scheduled backup files', () => {
	for (const example of ['external-etcd', 'three-control-planes'] as const) {
		it(`${example}: a script bash can read, a oneshot service running it, a timer`, () => {
			const spec = specOf(undefined, example);
			const [access] = etcdAccesses(spec);
			assert.ok(access);
			const [script, service, timer] = scheduleFiles({spec, templates}, access, {every: 'daily', keep: 3});
			assert.deepEqual(
				[script, service, timer].map((file) => [file?.path, file?.mode]),
				[
					[scheduledBackupPaths.script, 0o700],
					[scheduledBackupPaths.service, 0o644],
					[scheduledBackupPaths.timer, 0o644],
				],
			);
			const syntax = spawnSync('bash', ['-n'], {input: script?.content, encoding: 'utf8'});
			assert.equal(syntax.status, 0, syntax.stderr);
			assert.match(script?.content ?? '', /^#!\/bin\/bash\n/);
			assert.match(
				script?.content ?? '',
				new RegExp(`ls -1 etcd-${spec.name}-${access.node.name}-\\*\\.db \\| sort \\| head -n -3 \\|`),
			);
			assert.match(service?.content ?? '', new RegExp(`\\nType=oneshot\\nExecStart=${scheduledBackupPaths.script}\\n`));
			assert.match(
				timer?.content ?? '',
				/\nOnCalendar=daily\n[\s\S]*\nPersistent=true\n[\s\S]*\nWantedBy=timers\.target\n/,
			);
		});
	}
});
