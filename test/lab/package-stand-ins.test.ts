// The kubelet stand-in with the files its package ships (units, /usr/bin commands), and containerd from the lab's
// release fixtures, driven over real ssh with kubeha's own install tasks: each check fails first, its act succeeds,
// the check then passes.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {after, before, describe, test} from 'node:test';
import {readTemplates} from '../../source/io/templates.ts';
import {containerdUnitPath} from '../../source/render/prerequisites.ts';
import {fill} from '../../source/render/template.ts';
import {loadSpec} from '../../source/spec/load.ts';
import {componentsOf} from '../../steps/download-components.ts';
import {downloadTask} from '../../steps/scripts/components.ts';
import {containerdTasks} from '../../steps/scripts/containerd.ts';
import {kubeletEnabledTask} from '../../steps/scripts/kernel.ts';
import {holdKubernetesPackagesTask, kubernetesPackagesTask} from '../../steps/scripts/packages.ts';
import type {Task} from '../../steps/scripts/tasks.ts';
import {type ArtifactServer, startArtifactServer} from './artifact-fixtures.ts';
import {type Lab, type LabHost, labAvailable, startLab} from './lab.ts';

const availability = labAvailable({commands: []});

describe('the kubelet and containerd stand-ins under kubeha install tasks', {
	skip: availability.ok ? false : availability.reason,
	timeout: 60_000,
}, () => {
	let lab: Lab;
	let host: LabHost;
	let artifacts: ArtifactServer;
	const example = readFileSync('examples/three-control-planes.yaml', 'utf8');
	let {spec, findings} = loadSpec(example);

	const run = (command: string) => lab.ssh(host, `set -euo pipefail\n${command}`, {timeoutMs: 20_000});

	/** A task as a step runs it: the check, the act where it failed, and the check again. */
	async function settle(task: Task, {alreadyInPlace}: {alreadyInPlace: boolean}): Promise<void> {
		const before = await run(task.check);
		assert.equal(before.code === 0, alreadyInPlace, `check of "${task.what}" before: ${before.stderr}`);
		if (!alreadyInPlace) {
			const acted = await run(task.act);
			assert.equal(acted.code, 0, `act of "${task.what}": ${acted.stdout}${acted.stderr}`);
		}
		const afterwards = await run(task.check);
		assert.equal(afterwards.code, 0, `check of "${task.what}" after: ${afterwards.stdout}${afterwards.stderr}`);
	}

	before(async () => {
		assert.ok(spec, JSON.stringify(findings));
		lab = await startLab({hosts: 1});
		[host] = lab.hosts as [LabHost];
		artifacts = await startArtifactServer(lab);
		({spec, findings} = loadSpec(`${example}${artifacts.componentsYaml()}`));
	});
	after(async () => {
		await artifacts?.stop();
		await lab?.stop();
	});

	test('kubelet, kubeadm and kubectl count as installed at the spec version, can be held, and the kubelet enabled', async () => {
		assert.ok(spec);
		const install = kubernetesPackagesTask(spec, 'apt');
		await settle(install, {alreadyInPlace: true});
		const acted = await run(install.act);
		assert.equal(acted.code, 0, acted.stderr);
		await settle(holdKubernetesPackagesTask, {alreadyInPlace: false});
		await settle(kubeletEnabledTask, {alreadyInPlace: false});
		const link = await lab.exec(host, 'readlink /etc/systemd/system/multi-user.target.wants/kubelet.service');
		assert.equal(link.stdout, '/usr/lib/systemd/system/kubelet.service\n');
	});

	test('containerd 2 is downloaded, verified, installed, configured with SystemdCgroup = true by its own default config, and runs', async () => {
		assert.ok(spec, JSON.stringify(findings));
		const node = spec.nodes[0];
		assert.ok(node);
		for (const kind of componentsOf(spec, node)) await settle(downloadTask(spec, kind), {alreadyInPlace: false});
		const [runc, cni, crictl, containerd, unitRead, configured, running, ...rest] = containerdTasks(spec);
		assert.ok(runc && cni && crictl && containerd && unitRead && configured && running && rest.length === 0);
		for (const task of [runc, cni, crictl, containerd]) await settle(task, {alreadyInPlace: false});
		const installed = await run(
			'/usr/local/bin/containerd --version && ls /opt/cni/bin && cat /var/lib/kubeha/components/containerd',
		);
		assert.match(installed.stdout, /^containerd github\.com\/containerd\/containerd\/v2 v2\.3\.4 /);
		assert.match(installed.stdout, /\nbridge\nhost-local\nloopback\nportmap\n/);
		assert.match(installed.stdout, /\n2\.3\.4 [0-9a-f]{64}\n$/);
		// kubeha's unit, as the prerequisites step writes it before these tasks.
		const unit = fill({templates: await readTemplates()}, 'containerd.service.mustache', {version: '2.3.4'});
		await lab.writeFile(host, containerdUnitPath, unit);
		await settle(unitRead, {alreadyInPlace: true});
		await settle(configured, {alreadyInPlace: false});
		assert.match((await lab.exec(host, 'cat /etc/containerd/config.toml')).stdout, /\n {12}SystemdCgroup = true\n/);
		await settle(running, {alreadyInPlace: false});
		const process = await lab.exec(host, 'cat /proc/$(cat /run/lab-systemctl/containerd.service/main.pid)/comm');
		assert.equal(process.stdout, 'containerd\n');
		// Stopping it ends the daemon (SIGTERM), as systemd would see it.
		assert.equal((await run('systemctl stop containerd && ! systemctl is-active --quiet containerd')).code, 0);
	});

	test('the stand-ins refuse what they do not model', async () => {
		const runc = await run('runc --version');
		assert.equal(runc.code, 1);
		assert.match(runc.stderr, /runc \(kubeha lab stand-in, a test fixture\) not modelled/);
		const kubelet = await run('kubelet --config /var/lib/kubelet/config.yaml');
		assert.equal(kubelet.code, 1);
		assert.match(kubelet.stderr, /kubelet \(kubeha lab stand-in, a test fixture\) not modelled/);
		const containerd = await run('/usr/local/bin/containerd --log-level debug');
		assert.equal(containerd.code, 1);
		assert.match(containerd.stderr, /containerd \(kubeha lab stand-in, a test fixture\) not modelled/);
	});
});
