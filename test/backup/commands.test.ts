import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {scheduledBackupPaths} from '../../source/backup/schedule.ts';
import {type BackupOptions, backupCommand} from '../../source/commands/backup.ts';
import {restoreCommand} from '../../source/commands/restore.ts';
import {UserError} from '../../source/io/user-error.ts';
import type {Shell} from '../../source/runner/shell.ts';
import type {SessionDependencies} from '../../source/session/dependencies.ts';
import {collect, testConnectDependencies, workspace} from '../helpers/command-world.ts';
import {FakeShell} from '../helpers/fake-shell.ts';

function dependencies(shell?: Shell, overrides: Partial<SessionDependencies> = {}): SessionDependencies {
	return {
		...testConnectDependencies(shell),
		now: () => Date.parse('2026-11-22T07:13:05Z'),
		...overrides,
	};
}

const userError = (pattern: RegExp) => (error: unknown) => {
	assert.ok(error instanceof UserError, String(error));
	assert.match(error.message, pattern);
	return true;
};

describe('kubeha backup flags', () => {
	const cases: [string, Omit<BackupOptions, 'config'>, RegExp][] = [
		['--keep alone', {keep: '3'}, /^--keep 3 counts .* there is no --schedule: add --schedule daily/],
		['an unknown schedule', {schedule: 'weekly'}, /^--schedule "weekly" is not a schedule: use daily or hourly\.$/],
		['--keep 0', {schedule: 'daily', keep: '0'}, /^--keep "0" is not a whole number from 1 up/],
		[
			'--output-dir with --schedule',
			{schedule: 'daily', outputDir: '/tmp/x'},
			/^--output-dir \/tmp\/x .* run the two separately\.$/,
		],
	];
	for (const [name, options, message] of cases) {
		it(`refuses ${name} before reaching any node`, async () => {
			await assert.rejects(
				backupCommand({config: 'unused.yaml', ...options}, collect(), dependencies()),
				userError(message),
			);
		});
	}
});

describe('kubeha backup --schedule', () => {
	it('puts the script, service and timer on every etcd member and runs the first backup on each', async () => {
		const directory = workspace('external-etcd');
		const shell = new FakeShell()
			.on('kubeha_path=', {stdout: 'kubeha-write:changed\n'})
			.on('systemctl daemon-reload', {stdout: '/var/backups/etcd/etcd-core-etcd1-20261122T071305Z.db\n'});
		const output = collect();
		const code = await backupCommand(
			{config: join(directory, 'cluster.yaml'), schedule: 'hourly', keep: '24'},
			output,
			dependencies(shell),
		);
		assert.equal(code, 0);
		for (const member of ['etcd1', 'etcd2', 'etcd3']) {
			const scripts = shell.callsOn(member).map((call) => call.script);
			const written = Object.values(scheduledBackupPaths).filter((path) =>
				scripts.some((script) => script.includes(`kubeha_path=${path}\n`)),
			);
			assert.deepEqual(written, [
				scheduledBackupPaths.script,
				scheduledBackupPaths.service,
				scheduledBackupPaths.timer,
			]);
			assert.match(
				scripts.at(-1) ?? '',
				/systemctl enable --now kubeha-etcd-backup\.timer\nsystemctl start kubeha-etcd-backup\.service/,
			);
		}
		assert.deepEqual(
			shell.calls.map((call) => call.host).filter((host) => !host.startsWith('etcd')),
			[],
			'nothing on the other nodes',
		);
		assert.ok(
			output.lines.includes(
				'etcd1: hourly snapshots scheduled, keeping 24; the newest is /var/backups/etcd/etcd-core-etcd1-20261122T071305Z.db',
			),
		);
		assert.match(
			output.lines.at(-1) ?? '',
			/^each etcd member of core now takes a snapshot hourly into \/var\/backups\/etcd and keeps the newest 24\./,
		);
	});
});

describe('kubeha restore refuses before it changes anything', () => {
	it('a stacked etcd, pointing at the documented procedure', async () => {
		const directory = workspace('three-control-planes');
		await assert.rejects(
			restoreCommand({config: join(directory, 'cluster.yaml'), snapshot: 'x.db', yes: true}, collect(), dependencies()),
			userError(/^etcd\.topology is "stacked": kubeha restore restores external etcd clusters only.*docs\/backup\.md/),
		);
	});

	it('a snapshot file that is not there', async () => {
		const directory = workspace('external-etcd');
		await assert.rejects(
			restoreCommand(
				{config: join(directory, 'cluster.yaml'), snapshot: join(directory, 'nothing.db'), yes: true},
				collect(),
				dependencies(),
			),
			userError(/nothing\.db: does not exist\. Give the \.db file kubeha backup wrote/),
		);
	});

	it('a snapshot whose checksum file disagrees', async () => {
		const directory = workspace('external-etcd');
		const snapshot = join(directory, 'etcd-core.db');
		writeFileSync(snapshot, 'changed since the backup');
		writeFileSync(`${snapshot}.sha256`, `${'0'.repeat(64)}  etcd-core.db\n`);
		await assert.rejects(
			restoreCommand({config: join(directory, 'cluster.yaml'), snapshot, yes: true}, collect(), dependencies()),
			userError(/its SHA-256 is [\da-f]{64}, but .*etcd-core\.db\.sha256 says 0{64}\. The file changed/),
		);
	});

	it('without a terminal and without --yes', async () => {
		const directory = workspace('external-etcd');
		const snapshot = join(directory, 'etcd-core.db');
		writeFileSync(snapshot, 'snapshot');
		const output = collect();
		await assert.rejects(
			restoreCommand({config: join(directory, 'cluster.yaml'), snapshot}, output, dependencies()),
			userError(/confirm it in a terminal, or pass --yes/),
		);
		assert.match(output.errors.join('\n'), /warning: .*etcd-core\.db\.sha256 is not there/);
	});

	it('when the operator says no after reading the warning', async () => {
		const directory = workspace('external-etcd');
		const snapshot = join(directory, 'etcd-core.db');
		writeFileSync(snapshot, 'snapshot');
		const shell = new FakeShell().on('has neither etcdutl nor etcdctl');
		const output = collect();
		const questions: string[] = [];
		const code = await restoreCommand(
			{config: join(directory, 'cluster.yaml'), snapshot},
			output,
			dependencies(shell, {
				interactive: true,
				confirm: async (question) => {
					questions.push(question);
					return false;
				},
			}),
		);
		assert.equal(code, 1);
		assert.deepEqual(questions, [`Restore etcd of cluster core from ${snapshot}?`]);
		const warning = output.lines.join('\n');
		assert.match(warning, /replaces the data of etcd cluster core on etcd1, etcd2, etcd3/);
		assert.match(warning, /Everything the cluster wrote after that snapshot is lost/);
		assert.match(
			warning,
			/on each control plane \(cp1, cp2, cp3\) run `mv \/etc\/kubernetes\/manifests\/kube-apiserver\.yaml/,
		);
		assert.equal(output.lines.at(-1), 'nothing was changed.');
		assert.deepEqual(
			shell.calls.filter((call) => !call.script.includes('has neither')),
			[],
			'only the checks ran',
		);
	});
});
