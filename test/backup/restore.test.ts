import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, describe, it} from 'node:test';
import {checkRestore, type LocalSnapshot, restoreSnapshot} from '../../source/backup/restore-run.ts';
import {restoreMembers, stageRestoreScript} from '../../source/backup/restore-scripts.ts';
import {UserError} from '../../source/io/user-error.ts';
import {bindShell} from '../../source/runner/shell.ts';
import {type FakeCall, FakeShell} from '../helpers/fake-shell.ts';
import {specOf} from '../helpers/spec.ts';
import {fakeEtcdTools, fakeStatus} from './fake-etcd-tools.ts';

const spec = specOf(undefined, 'external-etcd');
const stamp = '20261122T071305Z';
const directory = mkdtempSync(join(tmpdir(), 'kubeha-restore-'));
after(() => rmSync(directory, {recursive: true, force: true}));
const bytes = 'snapshot bytes';
const snapshot: LocalSnapshot = {
	path: join(directory, 'etcd-core.db'),
	size: bytes.length,
	sha256: createHash('sha256').update(bytes).digest('hex'),
};
writeFileSync(snapshot.path, bytes);

/** Scripts by what they do, as the restore sends them (a fragment each one alone contains). */
const scripts = {
	check: 'has neither etcdutl nor etcdctl',
	upload: 'base64 -d | dd of=',
	stop: 'systemctl stop etcd',
	stage: 'snapshot restore',
	unstage: `rm -rf -- /var/lib/etcd.kubeha-restore-${stamp}`,
	swap: 'mv -- /var/lib/etcd ',
	start: 'systemctl start --no-block etcd',
	removeUpload: 'rm -rf -- "$(dirname',
};

/** Members that answer every script as a healthy member does; `failing` makes one script fail on one member. */
function members(failing?: {script: string; host: string}): FakeShell {
	const shell = new FakeShell();
	if (failing) shell.on(failing.script, {exitCode: 1, stderr: 'Error: no space left on device\n'}, failing.host);
	return shell
		.on(scripts.check)
		.on('mkdir -m 0700')
		.on('install -m 0600 /dev/null')
		.on(scripts.upload)
		.on('sha256sum <', {stdout: `${snapshot.sha256}\n`})
		.on('snapshot status', {stdout: `${JSON.stringify(fakeStatus)}\n`})
		.on(scripts.stop)
		.on(scripts.stage)
		.on(scripts.unstage)
		.on(scripts.swap)
		.on(scripts.start)
		.on(scripts.removeUpload);
}

const callsOf = (shell: FakeShell, fragment: string): FakeCall[] =>
	shell.calls.filter((call) => call.script.includes(fragment));
const hostsOf = (calls: readonly FakeCall[]) => calls.map((call) => call.host).sort();
const lastOrder = (calls: readonly FakeCall[]) => Math.max(...calls.map((call) => call.order));
const firstOrder = (calls: readonly FakeCall[]) => Math.min(...calls.map((call) => call.order));
const everyMember = ['etcd1', 'etcd2', 'etcd3'];

describe('kubeha restore on an external etcd cluster', () => {
	it('copies and checks everywhere, stops everywhere, restores everywhere, and only then swaps and starts', async () => {
		const shell = members();
		const restored = await restoreSnapshot({
			spec,
			members: await checkRestore(spec, shell, stamp),
			snapshot,
			say: () => undefined,
		});
		assert.deepEqual(restored, fakeStatus);
		const [uploads, stops, stages, swaps, starts] = [
			scripts.upload,
			scripts.stop,
			scripts.stage,
			scripts.swap,
			scripts.start,
		].map((fragment) => callsOf(shell, fragment));
		for (const calls of [uploads, stops, stages, swaps, starts]) assert.deepEqual(hostsOf(calls ?? []), everyMember);
		assert.ok(lastOrder(uploads ?? []) < firstOrder(stops ?? []), 'every member has the snapshot before etcd stops');
		assert.ok(lastOrder(stages ?? []) < firstOrder(swaps ?? []), 'every member restored before any data moves');
		assert.ok(lastOrder(swaps ?? []) < firstOrder(starts ?? []));
		assert.deepEqual(callsOf(shell, scripts.unstage), []);
		assert.deepEqual(hostsOf(callsOf(shell, scripts.removeUpload)), everyMember);

		const swap = callsOf(shell, scripts.swap)[0]?.script;
		assert.equal(
			swap,
			`mv -- /var/lib/etcd /var/lib/etcd.kubeha-before-restore-${stamp} && mv -- /var/lib/etcd.kubeha-restore-${stamp} /var/lib/etcd`,
		);
	});

	it('starts etcd again on its old data when a member cannot restore, and says nothing was restored', async () => {
		const shell = members({script: scripts.stage, host: 'etcd2'});
		await assert.rejects(
			restoreSnapshot({spec, members: await checkRestore(spec, shell, stamp), snapshot, say: () => undefined}),
			(error: unknown) => {
				assert.ok(error instanceof UserError);
				assert.match(
					error.message,
					/^restoring the snapshot failed on etcd2: .*no space left on device\. etcd runs on its old data again .*nothing was restored\.$/,
				);
				return true;
			},
		);
		assert.deepEqual(callsOf(shell, scripts.swap), [], 'no data directory moved');
		assert.deepEqual(hostsOf(callsOf(shell, scripts.unstage)), everyMember);
		assert.deepEqual(hostsOf(callsOf(shell, scripts.start)), everyMember);
		assert.ok(firstOrder(callsOf(shell, scripts.start)) > lastOrder(callsOf(shell, scripts.unstage)));
		assert.deepEqual(hostsOf(callsOf(shell, scripts.removeUpload)), everyMember);
	});

	it('changes nothing when a member is not ready for it', async () => {
		const shell = members({script: scripts.check, host: 'etcd3'});
		await assert.rejects(checkRestore(spec, shell, stamp), (error: unknown) => {
			assert.ok(error instanceof UserError);
			assert.match(error.message, /^the check before the restore failed on etcd3: .*\. Nothing was changed\.$/);
			return true;
		});
		assert.deepEqual(
			shell.calls.filter((call) => !call.script.includes(scripts.check)),
			[],
		);
	});

	describe('each member restores with the identity its etcd.env gives it, so its unit starts it unchanged', () => {
		const member = restoreMembers(spec, stamp)[1];
		assert.ok(member);
		const identity = [
			`snapshot restore /var/tmp/kubeha-restore-${stamp}/snapshot.db --name etcd2`,
			'--initial-cluster etcd1=https://10.20.0.31:2380,etcd2=https://10.20.0.32:2380,etcd3=https://10.20.0.33:2380',
			'--initial-cluster-token core-etcd --initial-advertise-peer-urls https://10.20.0.32:2380',
			`--data-dir /var/lib/etcd.kubeha-restore-${stamp}`,
		].join(' ');
		const cases = [
			{tools: ['etcdctl'] as const, help: '--skip-hash-check', command: `etcdctl ${identity}`},
			{
				tools: ['etcdctl', 'etcdutl'] as const,
				help: '--bump-revision uint   --mark-compacted',
				command: `etcdutl ${identity} --bump-revision 1000000000 --mark-compacted`,
			},
		];
		for (const {tools, help, command} of cases) {
			it(`with ${tools.at(-1)}${help.includes('mark') ? ', bumping revisions' : ''}`, async () => {
				const fakes = fakeEtcdTools(tools, {restoreHelp: help});
				try {
					await bindShell(fakes.shell, member.node).run(stageRestoreScript(spec, member));
					assert.deepEqual(fakes.calls(), [`${tools.at(-1)} snapshot restore --help`, command]);
				} finally {
					fakes.remove();
				}
			});
		}
	});
});
