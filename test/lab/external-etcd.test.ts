// Lab scenario 3: `kubeha apply` with an external etcd cluster. Three real etcd members (Debian's etcd-server) on
// hosts of their own, started by kubeha with TLS; two control planes with keepalived + haproxy. Checked on the
// hosts: etcd's own health answer with the certificates kubeha wrote, and the etcd endpoints kubeadm was given.
// Then, on the same cluster (an install costs minutes): kubeha backup, kubeha restore, and the scheduled backup's
// script, each checked by the keys etcd itself serves.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {readdirSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {etcdAccesses} from '../../source/backup/etcd-access.ts';
import {scheduledBackupPaths, scheduleFiles} from '../../source/backup/schedule.ts';
import {loadSpec} from '../../source/spec/load.ts';
import {templates} from '../helpers/templates.ts';
import {externalEtcdClusterYaml, type LabCluster, labCluster} from './cluster.ts';
import {assertHealthy, etcdctl, memberNames} from './etcd-members.ts';
import {type Lab, type LabHost, labAvailable, startLab} from './lab.ts';

const availability = labAvailable({commands: ['keepalived', 'haproxy', 'etcd', 'etcdctl', 'curl', 'systemd-analyze']});

/** The value of a `--flag=value` in a static pod manifest on the host. */
async function manifestFlag(lab: Lab, host: LabHost, manifest: string, flag: string): Promise<string | undefined> {
	const {stdout} = await lab.exec(host, `cat /etc/kubernetes/manifests/${manifest}`);
	return new RegExp(`--${flag}=(\\S+)`).exec(stdout)?.[1];
}

/** The keys under /kubeha-lab/ as etcd serves them from one member, `key=value` each. */
async function labKeys(lab: Lab, host: LabHost): Promise<string[]> {
	const {code, stdout, stderr} = await lab.exec(host, etcdctl([host], 'get --prefix /kubeha-lab/'));
	assert.equal(code, 0, `etcdctl get on ${host.name}: ${stderr}`);
	const lines = stdout.trim().split('\n').filter(Boolean);
	return lines.flatMap((line, index) => (index % 2 === 0 ? [`${line}=${lines[index + 1]}`] : []));
}

async function etcdctlOk(lab: Lab, host: LabHost, endpoints: readonly LabHost[], command: string): Promise<void> {
	const result = await lab.exec(host, etcdctl(endpoints, command));
	assert.equal(result.code, 0, `etcdctl ${command} on ${host.name}: ${result.stdout}${result.stderr}`);
}

/** Scenario 3's own checks: the members, read with etcdctl on their hosts, and what kubeadm made of its config. */
async function checkExternalEtcd(lab: Lab, controlPlanes: readonly LabHost[], etcdHosts: readonly LabHost[]) {
	for (const host of etcdHosts) {
		await assertHealthy(lab, host);
		assert.equal((await lab.exec(host, 'systemctl is-active etcd')).stdout.trim(), 'active');
	}
	assert.deepEqual(await memberNames(lab, etcdHosts[0] as LabHost), ['etcd1', 'etcd2', 'etcd3']);

	// What kubeadm did with its configuration: the apiserver's --etcd-servers in the manifest it wrote (init on cp1,
	// and on cp2 from the kubeadm-config ConfigMap it read through the cluster).
	const endpoints = etcdHosts.map((host) => `https://${host.address}:2379`).join(',');
	for (const host of controlPlanes) {
		assert.equal(await manifestFlag(lab, host, 'kube-apiserver.yaml', 'etcd-servers'), endpoints, host.name);
		const stacked = await lab.exec(host, 'test -e /etc/kubernetes/manifests/etcd.yaml');
		assert.notEqual(stacked.code, 0, `no stacked etcd manifest on ${host.name}`);
	}
}

/** What kubeha's private directories under /var/tmp still hold on the host (snapshots must not stay). */
const scratchLeft = async (lab: Lab, host: LabHost) =>
	(await lab.exec(host, 'ls /var/tmp | grep kubeha- || true')).stdout;

/** kubeha backup, then writes the snapshot does not have, then kubeha restore: the keys of the snapshot are back. */
async function checkBackupAndRestore(lab: Lab, cluster: LabCluster, etcdHosts: readonly LabHost[]) {
	const [etcd1] = etcdHosts as [LabHost];
	for (const [key, value] of [
		['a', '1'],
		['b', '2'],
		['c', '3'],
	]) {
		await etcdctlOk(lab, etcd1, etcdHosts, `put /kubeha-lab/${key} ${value}`);
	}
	const backup = await cluster.kubeha(['backup']);
	assert.equal(backup.code, 0, `kubeha backup:\n${backup.stdout}\n${backup.stderr}`);
	const directory = join(cluster.directory, '.kubeha/backups');
	const files = readdirSync(directory).sort();
	assert.equal(files.length, 2, `a snapshot and its checksum: ${files.join(', ')}`);
	const [snapshot, checksum] = files as [string, string];
	assert.match(snapshot, /^etcd-lab-\d{8}T\d{6}Z\.db$/);
	assert.equal(checksum, `${snapshot}.sha256`);
	for (const file of files) assert.equal(statSync(join(directory, file)).mode & 0o777, 0o600, file);
	// sha256sum itself checks the copy against the checksum file, as an operator would.
	execFileSync('sha256sum', ['--check', '--strict', checksum], {cwd: directory});
	for (const host of etcdHosts) assert.equal(await scratchLeft(lab, host), '', `no snapshot left on ${host.name}`);

	await etcdctlOk(lab, etcd1, etcdHosts, 'put /kubeha-lab/a changed');
	await etcdctlOk(lab, etcd1, etcdHosts, 'del /kubeha-lab/b');
	await etcdctlOk(lab, etcd1, etcdHosts, 'put /kubeha-lab/d 4');
	assert.deepEqual(await labKeys(lab, etcd1), ['/kubeha-lab/a=changed', '/kubeha-lab/c=3', '/kubeha-lab/d=4']);

	const restore = await cluster.kubeha(['restore', '--snapshot', join(directory, snapshot), '--yes']);
	assert.equal(restore.code, 0, `kubeha restore:\n${restore.stdout}\n${restore.stderr}`);
	for (const host of etcdHosts) {
		assert.deepEqual(
			await labKeys(lab, host),
			['/kubeha-lab/a=1', '/kubeha-lab/b=2', '/kubeha-lab/c=3'],
			`the snapshot's keys, served by ${host.name}`,
		);
		const kept = await lab.exec(host, 'ls -d /var/lib/etcd.kubeha-before-restore-*');
		assert.equal(kept.code, 0, `the data from before the restore is kept on ${host.name}`);
		assert.equal(await scratchLeft(lab, host), '', `no uploaded snapshot left on ${host.name}`);
	}
	assert.deepEqual(await memberNames(lab, etcdHosts[0] as LabHost), ['etcd1', 'etcd2', 'etcd3']);
	await etcdctlOk(lab, etcd1, etcdHosts, 'put /kubeha-lab/after-restore yes');
}

/**
The scheduled backup's files on a member, run by hand: the systemctl stand-in does not model timers (see
test/lab/README.md), so the timer's runs are the script's runs. Three runs, keep 2: the newest two stay.
*/
async function checkScheduledScript(lab: Lab, yaml: string, host: LabHost) {
	const {spec} = loadSpec(yaml);
	assert.ok(spec, 'the lab spec is valid');
	const access = etcdAccesses(spec).find((candidate) => candidate.node.address === host.address);
	assert.ok(access);
	for (const file of scheduleFiles({spec, templates}, access, {every: 'hourly', keep: 2})) {
		await lab.writeFile(host, file.path, file.content, file.mode);
	}
	const verify = await lab.exec(
		host,
		`systemd-analyze verify ${scheduledBackupPaths.service} ${scheduledBackupPaths.timer}`,
	);
	assert.deepEqual([verify.code, verify.stderr], [0, ''], 'systemd reads the unit files without a complaint');

	for (let run = 0; run < 3; run++) {
		// Snapshot names have a resolution of one second.
		if (run > 0) await new Promise((resolve) => setTimeout(resolve, 1100));
		const result = await lab.exec(host, scheduledBackupPaths.script);
		assert.equal(result.code, 0, `run ${run + 1}: ${result.stdout}${result.stderr}`);
	}
	const directory = scheduledBackupPaths.directory;
	const listing = await lab.exec(host, `stat -c '%a %n' ${directory} ${directory}/*`);
	const lines = listing.stdout.trim().split('\n');
	assert.equal(lines[0], `700 ${directory}`);
	assert.equal(lines.length, 5, `two snapshots and their checksums: ${listing.stdout}`);
	for (const line of lines.slice(1)) assert.match(line, new RegExp(`^600 ${directory}/etcd-lab-${access.node.name}-`));
	const checked = await lab.exec(host, `cd ${directory} && sha256sum --check --strict *.sha256`);
	assert.equal(checked.code, 0, checked.stdout + checked.stderr);
	const status = await lab.exec(
		host,
		`ETCDCTL_API=3 etcdctl snapshot status -w json $(ls ${directory}/*.db | tail -n 1)`,
	);
	assert.ok((JSON.parse(status.stdout) as {totalKey: number}).totalKey > 0, status.stdout);
}

test('kubeha apply installs a cluster with external etcd on the lab; backup and restore', {
	skip: availability.ok ? false : availability.reason,
}, async () => {
	const lab = await startLab({hosts: 5});
	const yaml = externalEtcdClusterYaml(lab);
	const cluster = await labCluster(lab, yaml);
	try {
		await cluster.apply();
		const controlPlanes = lab.hosts.slice(0, 2);
		const etcdHosts = lab.hosts.slice(2);
		await checkExternalEtcd(lab, controlPlanes, etcdHosts);
		await checkBackupAndRestore(lab, cluster, etcdHosts);
		await checkScheduledScript(lab, yaml, etcdHosts[1] as LabHost);
	} finally {
		await lab.stop();
		cluster.remove();
	}
});
