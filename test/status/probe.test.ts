import assert from 'node:assert/strict';
import {test} from 'node:test';
import {probeCluster} from '../../source/status/probe.ts';
import type {KubernetesStatus} from '../../source/status/types.ts';
import {FakeShell} from '../helpers/fake-shell.ts';
import {answeringApi, labSpec, recordedHost, recordedOutput} from './fixtures.ts';

const stateDirectory = '/srv/lab/.kubeha';

test('one script per node, parsed; a node ssh cannot reach is a status too; the API is read with the fetched kubeconfig', async () => {
	const shell = new FakeShell()
		.on('kubeha_section', {stdout: recordedOutput('keepalived-down', 'cp1')}, 'cp1')
		.on('kubeha_section', {stdout: recordedOutput('keepalived-down', 'cp2')}, 'cp2')
		.on(
			'kubeha_section',
			{stderr: 'ssh: connect to host 198.18.1.13 port 22: Connection refused\n', exitCode: 255},
			'cp3',
		);
	const asked: string[] = [];
	const status = await probeCluster({
		spec: labSpec,
		shell,
		stateDirectory,
		now: () => Date.parse('2026-11-22T07:35:50.088Z'),
		async readKubernetes(path): Promise<KubernetesStatus> {
			asked.push(path);
			return answeringApi;
		},
	});
	assert.deepEqual(
		shell.calls.map((call) => call.host),
		['cp1', 'cp2', 'cp3'],
	);
	assert.deepEqual(asked, ['/srv/lab/.kubeha/admin.conf']);
	assert.deepEqual(status, {
		cluster: 'lab',
		checkedAt: '2026-11-22T07:35:50.088Z',
		hosts: [
			recordedHost('keepalived-down', 'cp1'),
			recordedHost('keepalived-down', 'cp2'),
			{
				node: 'cp3',
				address: '198.18.1.13',
				reachable: false,
				error: 'ssh: connect to host 198.18.1.13 port 22: Connection refused',
			},
		],
		kubernetes: answeringApi,
	});
});

test('a node that answers ssh but cannot run the probe (sudo wants a password) is not reachable, with the reason', async () => {
	const shell = new FakeShell().on('kubeha_section', {stderr: 'sudo: a password is required\n', exitCode: 1});
	const status = await probeCluster({spec: labSpec, shell, stateDirectory, readKubernetes: async () => answeringApi});
	assert.deepEqual(status.hosts[0], {
		node: 'cp1',
		address: '198.18.1.11',
		reachable: false,
		error: 'the probe did not run (exit code 1): sudo: a password is required',
	});
});

test('aborting the probe rejects instead of reporting the nodes unreachable', async () => {
	const shell = new FakeShell().on('kubeha_section', {stdout: recordedOutput('healthy', 'cp1'), delayMs: 5000});
	const stop = new AbortController();
	const probing = probeCluster({
		spec: labSpec,
		shell,
		stateDirectory,
		signal: stop.signal,
		readKubernetes: async () => answeringApi,
	});
	setTimeout(() => stop.abort(new Error('stopped')), 20);
	await assert.rejects(probing, /stopped/);
});

test('the script asks each part a node has: all of them on a control plane that balances load', async () => {
	const shell = new FakeShell().on('kubeha_section', {stdout: recordedOutput('healthy', 'cp1')});
	await probeCluster({spec: labSpec, shell, stateDirectory, readKubernetes: async () => answeringApi});
	const sections = [...(shell.calls[0]?.script ?? '').matchAll(/^kubeha_section (\S+)/gm)].map((match) => match[1]);
	assert.deepEqual(sections, [
		'hostname',
		'vip',
		'keepalived',
		'haproxy',
		'api-server',
		'certificates',
		'etcd-health',
		'etcd-status',
	]);
});
