import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {type EtcdAccess, etcdAccesses} from '../../source/backup/etcd-access.ts';
import {parseSnapshotReport, removeSnapshotScript, snapshotScript} from '../../source/backup/snapshot-script.ts';
import {bindShell} from '../../source/runner/shell.ts';
import {specOf} from '../helpers/spec.ts';
import {fakeEtcdTools, fakeSnapshotBytes, fakeStatus} from './fake-etcd-tools.ts';

const certificates =
	'--cacert /etc/kubernetes/pki/etcd/ca.crt --cert /etc/kubernetes/pki/etcd/healthcheck-client.crt --key /etc/kubernetes/pki/etcd/healthcheck-client.key';

/** Runs the snapshot script of `access` with the fakes, checks the report and the file, removes it again. */
async function snapshotWith(access: EtcdAccess, tools: Parameters<typeof fakeEtcdTools>[0]): Promise<string[]> {
	const fakes = fakeEtcdTools(tools);
	try {
		const host = bindShell(fakes.shell, access.node);
		const report = parseSnapshotReport((await host.run(snapshotScript(access))).stdout, access.node.name);
		assert.deepEqual(report.status, fakeStatus);
		assert.equal(readFileSync(report.path, 'utf8'), fakeSnapshotBytes);
		assert.equal(report.size, fakeSnapshotBytes.length);
		assert.match(report.path, /^\/var\/tmp\/kubeha-backup-\w+\/snapshot\.db$/);
		await host.run(removeSnapshotScript(report.path));
		assert.equal(existsSync(join(report.path, '..')), false, 'the private directory goes with the snapshot');
		return fakes.calls();
	} finally {
		fakes.remove();
	}
}

describe('the snapshot script', () => {
	it('external etcd: etcdctl on the host, against this member, with the healthcheck client; status from etcdutl', async () => {
		const spec = specOf(undefined, 'external-etcd');
		const [access] = etcdAccesses(spec);
		assert.ok(access);
		assert.equal(access.node.name, 'etcd1');
		const calls = await snapshotWith(access, ['etcdctl', 'etcdutl']);
		const endpoint = `--endpoints https://${access.node.address}:2379`;
		assert.equal(calls[0], `etcdctl ${endpoint} ${certificates} --command-timeout 5s endpoint health`);
		assert.match(
			calls[1] ?? '',
			new RegExp(`^etcdctl ${endpoint} .* snapshot save /var/tmp/kubeha-snapshot-\\w+/snapshot\\.db$`),
		);
		assert.match(calls[2] ?? '', /^etcdutl snapshot status \/var\/tmp\/kubeha-snapshot-\w+\/snapshot\.db -w json$/);
	});

	it("external etcd 3.4 (no etcdutl): etcdctl's own snapshot status", async () => {
		const [access] = etcdAccesses(specOf(undefined, 'external-etcd'));
		assert.ok(access);
		const calls = await snapshotWith(access, ['etcdctl']);
		assert.match(calls[2] ?? '', /^etcdctl snapshot status \S+ -w json$/);
	});

	it("stacked etcd: the etcd static pod's tools through crictl, on the pod's loopback endpoint", async () => {
		const [stacked] = etcdAccesses(specOf());
		assert.ok(stacked);
		assert.equal(stacked.scratchDirectory, '/var/lib/etcd', 'the data directory the pod shares with the host');
		// The test machine has no kubeadm data directory: a private one stands in for it.
		const scratch = mkdtempSync(join(tmpdir(), 'kubeha-etcd-data-'));
		try {
			const calls = await snapshotWith({...stacked, scratchDirectory: scratch}, ['crictl']);
			const crictl = 'crictl --runtime-endpoint unix:///run/containerd/containerd.sock';
			assert.equal(calls[0], `${crictl} ps --name ^etcd$ --state running --quiet`);
			assert.equal(
				calls[1],
				`${crictl} exec 0123abcd etcdctl --endpoints https://127.0.0.1:2379 ${certificates} --command-timeout 5s endpoint health`,
			);
			assert.match(
				calls[2] ?? '',
				new RegExp(`^${crictl} exec 0123abcd etcdctl .* snapshot save ${scratch}/kubeha-snapshot-\\w+/snapshot\\.db$`),
			);
			assert.match(calls[3] ?? '', new RegExp(`^${crictl} exec 0123abcd etcdutl snapshot status ${scratch}/`));
		} finally {
			rmSync(scratch, {recursive: true, force: true});
		}
	});

	it('says which node has no running etcd pod, and what to look at', async () => {
		const [stacked] = etcdAccesses(specOf());
		assert.ok(stacked);
		const fakes = fakeEtcdTools(['crictl'], {silent: ['ps']});
		try {
			await assert.rejects(
				bindShell(fakes.shell, stacked.node).run(snapshotScript(stacked)),
				/on cp1 exited with 1: kubeha: no running etcd container on cp1 .*check `crictl ps -a` and `journalctl -u kubelet`/,
			);
		} finally {
			fakes.remove();
		}
	});

	it('does not take a report it does not understand for a snapshot', () => {
		assert.throws(() => parseSnapshotReport('Snapshot saved at x\n', 'etcd1'), /no report line/);
		assert.throws(
			() => parseSnapshotReport('kubeha-snapshot: {"path":"/var/tmp/x","size":1,"sha256":"ab","status":{}}\n', 'etcd1'),
			/not what kubeha expects/,
		);
	});
});
