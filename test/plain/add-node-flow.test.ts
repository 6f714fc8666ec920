import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {plainFrontEnd} from '../../source/plain/run-plain.ts';
import type {NodeToAdd} from '../../source/spec/add-node.ts';
import {runWizard} from '../../source/wizard/run.ts';
import {exampleText} from '../wizard/helpers.ts';
import {ScriptedTerminal} from './scripted-terminal.ts';

const terminal = {isTTY: true} as NodeJS.ReadStream;

test('the plain mode adds a node: a taken name is said at once, the step comes again, then the diff and the hand-over', async () => {
	const configPath = join(mkdtempSync(join(tmpdir(), 'kubeha-plain-add-')), 'cluster.yaml');
	const text = exampleText('three-control-planes');
	writeFileSync(configPath, text);
	const screen = new ScriptedTerminal();
	const calls: NodeToAdd[] = [];
	const drive = async () => {
		await screen.waitFor('== Start (1/9) ==');
		await screen.answer('What do you want to do?', '4');
		await screen.waitFor('4) Add a node');
		await screen.waitFor('== New node (2/3) ==');
		await screen.answer('? Name', 'worker1');
		await screen.waitFor('nodes[3].name is already "worker1"; node names are unique [add-node-name-taken]');
		await screen.answer('? Address', '192.168.1.103');
		await screen.answer('? Roles');
		await screen.waitFor('New node has errors:');
		await screen.answer('? Name', 'worker3');
		await screen.answer('? Address');
		await screen.answer('? Roles');
		await screen.waitFor('== Add and apply (3/3) ==');
		await screen.waitFor('+  - name: worker3\n+    address: 192.168.1.103\n+    roles: [worker]');
		await screen.answer('? Add the node?');
	};

	const [code] = await Promise.all([
		runWizard({
			configPath,
			output: {out: () => undefined, err: () => undefined},
			stdin: terminal,
			frontEnd: plainFrontEnd(screen),
			addNode: async (_, node) => {
				calls.push(node);
				return 0;
			},
		}),
		drive(),
	]);
	assert.equal(code, 0, screen.text().slice(-2000));
	assert.deepEqual(calls, [{name: 'worker3', address: '192.168.1.103', roles: ['worker']}]);
	assert.equal(readFileSync(configPath, 'utf8'), text);
});
