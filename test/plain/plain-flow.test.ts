import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {plainFrontEnd} from '../../source/plain/run-plain.ts';
import {error, warning} from '../../source/spec/finding.ts';
import {loadSpec} from '../../source/spec/load.ts';
import {runWizard} from '../../source/wizard/run.ts';
import {collectInOrder} from '../helpers/command-world.ts';
import {exampleText, expectedThreeControlPlanes, noFindings} from '../wizard/helpers.ts';
import {ScriptedTerminal} from './scripted-terminal.ts';

const terminal = {isTTY: true} as NodeJS.ReadStream;

/** The answers of examples/three-control-planes.yaml, typed line by line into a new cluster's questions. */
async function threeControlPlanes(screen: ScriptedTerminal): Promise<void> {
	await screen.waitFor('== Topology (1/8) ==');
	await screen.answer('Cluster name', 'prod');
	for (const prompt of ['Control planes', 'etcd', 'Workers', 'Load balancer', 'Run them as']) {
		await screen.answer(prompt);
	}

	await screen.waitFor('== Nodes (2/8) ==');
	await screen.answer('Address of cp1', '192.168.1.91-93');
	await screen.answer('Address of worker1', '192.168.1.101-102');
	await screen.answer('? Nodes');
	await screen.waitFor('== Virtual IP (3/8) ==');
	await screen.answer('Virtual IP', '192.168.1.94/24');
	await screen.answer('Interface', 'ens192');
	for (const prompt of ['VRRP id', 'VRRP adverts', 'Priority of cp1', 'Priority of cp2', 'Priority of cp3']) {
		await screen.answer(prompt);
	}

	await screen.waitFor('== Ports (4/8) ==');
	await screen.answer('Port on the VIP');
	await screen.answer('API server port');
	await screen.answer('haproxy stats port', '1080');
	await screen.waitFor('== Kubernetes (5/8) ==');
	for (const prompt of ['Version', 'Pod subnet', 'Service subnet', 'Pod network (CNI)']) {
		await screen.answer(prompt);
	}

	await screen.waitFor('== SSH access (6/8) ==');
	for (const prompt of ['SSH user', 'SSH port', 'SSH key']) {
		await screen.answer(prompt);
	}

	await screen.waitFor('Checking SSH to every host is not available yet.');
	await screen.waitFor('== Review (7/8) ==');
	await screen.waitFor('5 hosts, ');
	await screen.answer('? Review');
	await screen.waitFor('== Confirm (8/8) ==');
	await screen.answer('? What now?');
}

describe('the plain mode', () => {
	test('writes the same cluster.yaml as the TUI for the same answers', async () => {
		const configPath = join(mkdtempSync(join(tmpdir(), 'kubeha-plain-')), 'cluster.yaml');
		const screen = new ScriptedTerminal();
		const {lines, output} = collectInOrder();
		const [code] = await Promise.all([
			runWizard({configPath, output, stdin: terminal, validate: noFindings, frontEnd: plainFrontEnd(screen)}),
			threeControlPlanes(screen),
		]);
		assert.equal(code, 0, lines.join('\n'));
		const saved = readFileSync(configPath, 'utf8');
		assert.equal(saved, expectedThreeControlPlanes());
		const loaded = loadSpec(saved);
		assert.equal(loaded.valid, true, JSON.stringify(loaded.findings));
		assert.deepEqual(loaded.spec, loadSpec(exampleText('three-control-planes')).spec);
	});

	test('an error keeps the operator on the step (its questions come again); a warning is accepted', async () => {
		const configPath = join(mkdtempSync(join(tmpdir(), 'kubeha-plain-')), 'cluster.yaml');
		const screen = new ScriptedTerminal();
		const validate = (spec: {name: string; nodes: readonly unknown[]}) => [
			...(spec.name === 'Prod'
				? [error('cluster-name', 'name', 'name is "Prod", which has capitals', 'write "prod".')]
				: []),
			...(spec.nodes.length === 4
				? [warning('worker-count', 'nodes', 'one worker is a single point', 'add one.')]
				: []),
		];
		const drive = async () => {
			await screen.answer('Cluster name', 'Prod');
			await screen.waitFor('cluster.yaml  name is "Prod", which has capitals [cluster-name]');
			for (const prompt of ['Control planes', 'etcd', 'Workers', 'Load balancer', 'Run them as']) {
				await screen.answer(prompt);
			}

			await screen.waitFor('Topology has errors:');
			await screen.waitFor('Correct them to go on: the questions come again, and Enter keeps an answer.');
			await screen.answer('Cluster name (Prod)', 'prod');
			await screen.answer('Control planes');
			await screen.answer('etcd');
			await screen.answer('Workers', '1');
			await screen.answer('Load balancer');
			await screen.answer('Run them as');
			await screen.waitFor('cluster.yaml  one worker is a single point [worker-count]');
			await screen.answer('Go on with this warning?');
			await screen.waitFor('== Nodes (2/8) ==');
			await screen.waitFor('Address of cp1');
			screen.press('\u0003');
			await screen.answer('Quit?');
		};
		const [code] = await Promise.all([
			runWizard({
				configPath,
				output: collectInOrder().output,
				stdin: terminal,
				validate,
				frontEnd: plainFrontEnd(screen),
			}),
			drive(),
		]);
		assert.equal(code, 130);
		assert.equal(loadSpec(readFileSync(configPath, 'utf8')).spec?.name, 'prod');
	});

	test('Esc goes back a screen with the answers kept; Ctrl-C asks, and quitting keeps them in cluster.yaml', async () => {
		const configPath = join(mkdtempSync(join(tmpdir(), 'kubeha-plain-')), 'cluster.yaml');
		const screen = new ScriptedTerminal();
		const drive = async () => {
			await screen.answer('Cluster name', 'lab');
			for (const prompt of ['Control planes', 'etcd', 'Workers', 'Load balancer', 'Run them as']) {
				await screen.answer(prompt);
			}

			await screen.waitFor('Address of cp1');
			screen.press('\u001B');
			await screen.waitFor('== Topology (1/8) ==');
			await screen.waitFor('Cluster name (lab)');
			screen.press('\u0003');
			await screen.answer('Quit? Your answers are saved in');
		};
		const [code] = await Promise.all([
			runWizard({
				configPath,
				output: collectInOrder().output,
				stdin: terminal,
				validate: noFindings,
				frontEnd: plainFrontEnd(screen),
			}),
			drive(),
		]);
		assert.equal(code, 130);
		const saved = loadSpec(readFileSync(configPath, 'utf8'));
		assert.equal(saved.spec?.name, 'lab');
		assert.equal(saved.spec?.nodes.length, 5);
	});
});
