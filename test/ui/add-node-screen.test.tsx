import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, test} from 'node:test';
import {cleanup} from 'ink-testing-library';
import type {NodeToAdd} from '../../source/spec/add-node.ts';
import {App} from '../../source/ui/app.tsx';
import {runWizard} from '../../source/wizard/run.ts';
import {keys, renderInk} from '../helpers/render-ink.tsx';
import {exampleAnswers, exampleText, fakeServices, outcome, stateAt} from '../wizard/helpers.ts';
import {inkFrontEnd} from './ink-front-end.tsx';

afterEach(cleanup);

const terminal = {isTTY: true} as NodeJS.ReadStream;

const output = {out: () => undefined, err: () => undefined};

describe('adding a node in the TUI', () => {
	test('from the start screen to the confirmation: the node reaches the add-node callback, cluster.yaml untouched', async () => {
		const configPath = join(mkdtempSync(join(tmpdir(), 'kubeha-add-node-')), 'cluster.yaml');
		const text = exampleText('three-control-planes');
		writeFileSync(configPath, text);
		const calls: [string, NodeToAdd][] = [];
		const code = await runWizard({
			configPath,
			output,
			stdin: terminal,
			addNode: async (config, node) => {
				calls.push([config, node]);
				return 0;
			},
			frontEnd: inkFrontEnd(async (ui) => {
				await ui.waitFor('❯ Edit it');
				await ui.press(keys.down, keys.down, keys.down);
				await ui.waitFor('❯ Add a node');
				await ui.press(keys.enter);
				await ui.waitFor('New node (2/3)');
				await ui.type('cp4');
				await ui.press(keys.enter);
				await ui.type('192.168.1.95');
				await ui.press(keys.enter, keys.right);
				await ui.waitFor('● control-plane + load-balancer');
				await ui.waitFor(/Priority +90/);
				await ui.waitFor('4 control planes with stacked etcd');
				await ui.press(keys.enter, keys.enter);
				await ui.waitFor('❯ Continue → (accepting 1 warning)');
				await ui.press(keys.enter);
				await ui.waitFor('Add and apply (3/3)');
				await ui.waitFor('+ - name: cp4');
				await ui.waitFor('+ roles: [control-plane, load-balancer]');
				await ui.waitFor('cp4 gets keepalived priority 90, below every other load-balancer node');
				await ui.waitFor('❯ Add and apply');
				await ui.press(keys.enter);
			}),
		});
		assert.equal(code, 0);
		assert.deepEqual(calls, [
			[configPath, {name: 'cp4', address: '192.168.1.95', roles: ['control-plane', 'load-balancer']}],
		]);
		assert.equal(readFileSync(configPath, 'utf8'), text, 'kubeha add-node writes the node in, after its own question');
	});

	test('a name already taken is flagged once the field is left and keeps the operator on the screen', async () => {
		const initial = stateAt('start', exampleAnswers('three-control-planes'), {
			opened: exampleText('three-control-planes'),
			environment: {canAddNode: true},
		});
		const ui = renderInk(<App initial={initial} services={fakeServices().services} onDone={outcome().onDone} />);
		await ui.waitFor('❯ Edit it');
		await ui.press(keys.down, keys.down, keys.down, keys.enter);
		await ui.waitFor('New node (2/3)');
		await ui.type('worker1');
		assert.doesNotMatch(ui.frame(), /already "worker1"/, 'no error while the name is being typed');
		await ui.press(keys.down);
		await ui.waitFor('✖ Name is already "worker1"; node names are unique [add-node-name-taken]');
		await ui.press(keys.enter, keys.enter, keys.enter);
		await ui.waitFor('❯ Continue → (fix the errors below first)');
		await ui.press(keys.enter);
		assert.match(ui.frame(), /New node \(2\/3\)/);
		await ui.press(keys.escape);
		await ui.waitFor('❯ Add a node');
	});
});
