import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, test} from 'node:test';
import {cleanup} from 'ink-testing-library';
import {loadSpec} from '../../source/spec/load.ts';
import {runWizard} from '../../source/wizard/run.ts';
import {collectInOrder} from '../helpers/command-world.ts';
import {keys, type RenderedInk} from '../helpers/render-ink.tsx';
import {exampleText, expectedThreeControlPlanes} from '../wizard/helpers.ts';
import {inkFrontEnd} from './ink-front-end.tsx';

afterEach(cleanup);

const terminal = {isTTY: true} as NodeJS.ReadStream;

const enter = (times: number) => Array.from({length: times}, () => keys.enter);

/** Types the answers of examples/three-control-planes.yaml into a new cluster's screens. */
async function threeControlPlanes(ui: RenderedInk): Promise<void> {
	await ui.waitFor('Topology (1/8)');
	await ui.type('prod');
	await ui.press(...enter(7));
	await ui.waitFor('Nodes (2/8)');
	await ui.type('192.168.1.91-93');
	await ui.press(keys.enter);
	await ui.type('192.168.1.101-102');
	await ui.press(keys.enter, keys.enter);
	await ui.waitFor('Virtual IP (3/8)');
	await ui.type('192.168.1.94/24');
	await ui.press(keys.enter);
	await ui.type('ens192');
	await ui.press(...enter(7));
	await ui.waitFor('Ports (4/8)');
	await ui.waitFor('8443 proposed');
	await ui.press(...enter(2));
	await ui.type('1080');
	await ui.press(...enter(2));
	await ui.waitFor('Kubernetes (5/8)');
	await ui.press(...enter(5));
	await ui.waitFor('SSH access (6/8)');
	await ui.press(...enter(5));
	await ui.waitFor('Review (7/8)');
	await ui.waitFor(/5 hosts, \d+ files: \d+ new, 0 changed, 0 unchanged\./);
	await ui.press(keys.enter);
	await ui.waitFor('Confirm (8/8)');
	await ui.press(keys.enter);
}

describe('the TUI, start to finish', () => {
	test('from an empty directory to a saved cluster.yaml that validates and means examples/three-control-planes.yaml', async () => {
		const configPath = join(mkdtempSync(join(tmpdir(), 'kubeha-flow-')), 'cluster.yaml');
		const {lines, output} = collectInOrder();
		const code = await runWizard({configPath, output, stdin: terminal, frontEnd: inkFrontEnd(threeControlPlanes)});
		assert.equal(code, 0, lines.join('\n'));
		const saved = readFileSync(configPath, 'utf8');
		assert.equal(saved, expectedThreeControlPlanes());
		const loaded = loadSpec(saved);
		assert.equal(loaded.valid, true, JSON.stringify(loaded.findings));
		assert.deepEqual(loaded.spec, loadSpec(exampleText('three-control-planes')).spec);
		assert.match(lines.join('\n'), /Saved .*cluster\.yaml/);
	});

	test('re-opening it: review and re-apply changes nothing, and the file stays byte for byte', async () => {
		const configPath = join(mkdtempSync(join(tmpdir(), 'kubeha-flow-')), 'cluster.yaml');
		await runWizard({
			configPath,
			output: collectInOrder().output,
			stdin: terminal,
			frontEnd: inkFrontEnd(threeControlPlanes),
		});
		const before = readFileSync(configPath, 'utf8');
		const {output} = collectInOrder();
		const code = await runWizard({
			configPath,
			output,
			stdin: terminal,
			frontEnd: inkFrontEnd(async (ui) => {
				await ui.waitFor('cluster.yaml exists. What do you want to do?');
				await ui.press(keys.down, keys.enter);
				await ui.waitFor('Review (2/3)');
				await ui.waitFor(/5 hosts, \d+ files/);
				await ui.press(keys.enter);
				await ui.waitFor('❯ Save and quit');
				await ui.press(keys.enter);
			}),
		});
		assert.equal(code, 0);
		assert.equal(readFileSync(configPath, 'utf8'), before);
	});

	test('re-opening it to edit: a third worker is added, addressed and saved; Ctrl-C then keeps it', async () => {
		const configPath = join(mkdtempSync(join(tmpdir(), 'kubeha-flow-')), 'cluster.yaml');
		await runWizard({
			configPath,
			output: collectInOrder().output,
			stdin: terminal,
			frontEnd: inkFrontEnd(threeControlPlanes),
		});
		const code = await runWizard({
			configPath,
			output: collectInOrder().output,
			stdin: terminal,
			frontEnd: inkFrontEnd(async (ui) => {
				await ui.waitFor('❯ Edit it');
				await ui.press(keys.enter);
				await ui.waitFor(/Cluster name +prod/);
				await ui.press(keys.down, keys.down, keys.down, keys.backspace);
				await ui.type('3');
				await ui.press(...enter(4));
				await ui.waitFor('Nodes (3/9)');
				await ui.waitFor(/❯ worker3 +worker/);
				await ui.type('192.168.1.103');
				await ui.press(keys.enter, keys.enter);
				await ui.waitFor('Virtual IP (4/9)');
				await ui.press(keys.ctrlC);
				await ui.waitFor('(y/n)');
				await ui.press('y');
			}),
		});
		assert.equal(code, 130);
		assert.deepEqual(
			loadSpec(readFileSync(configPath, 'utf8')).spec?.nodes.map((node) => node.name),
			['cp1', 'cp2', 'cp3', 'worker1', 'worker2', 'worker3'],
		);
	});
});
