import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import type {NodeToAdd} from '../../source/spec/add-node.ts';
import {nonInteractiveHelp, quitExitCode, runWizard} from '../../source/wizard/run.ts';
import type {FrontEnd} from '../../source/wizard/services.ts';
import {currentStep, type WizardAction, wizardReducer} from '../../source/wizard/state.ts';
import {collectInOrder} from '../helpers/command-world.ts';
import {ScriptedTerminal} from '../plain/scripted-terminal.ts';
import {exampleText} from './helpers.ts';

const terminal = {isTTY: true} as NodeJS.ReadStream;

/** A front-end that answers nothing and leaves as told, from wherever the wizard starts. */
const leaving =
	(action: 'save' | 'export' | 'apply' | 'quit'): FrontEnd =>
	async (state) => {
		const left = action === 'quit' ? wizardReducer(state, {type: 'quit'}) : state;
		return {outcome: left.outcome ?? {action}, answers: left.answers};
	};

const withExample = () => {
	const configPath = join(mkdtempSync(join(tmpdir(), 'kubeha-run-')), 'cluster.yaml');
	writeFileSync(configPath, exampleText('three-control-planes'));
	return configPath;
};

describe('runWizard', () => {
	test('outside a terminal, says how to work without one and exits 2 instead of waiting', async () => {
		const {lines, output} = collectInOrder();
		const code = await runWizard({configPath: 'cluster.yaml', output, stdin: {isTTY: false} as NodeJS.ReadStream});
		assert.equal(code, 2);
		assert.equal(lines.join('\n'), nonInteractiveHelp('cluster.yaml'));
		assert.match(
			lines.join('\n'),
			/kubeha validate -c cluster\.yaml\n {2}kubeha export -c cluster\.yaml -o cluster-bundle/,
		);
	});

	test('a file the wizard cannot read is named with its findings, exit 1', async () => {
		const configPath = join(mkdtempSync(join(tmpdir(), 'kubeha-run-')), 'cluster.yaml');
		writeFileSync(configPath, 'apiVersion: kubeha/v1alpha1\nkind: Cluster\nname: prod\nnodes: 3\n');
		const {lines, output} = collectInOrder();
		assert.equal(await runWizard({configPath, output, stdin: terminal, frontEnd: leaving('save')}), 1);
		assert.match(lines.join('\n'), /nodes is 3 \(a number\), but must be a list/);
		assert.match(lines.join('\n'), /the wizard cannot read .*cluster\.yaml; fix the errors above, or move it away/);
	});

	test('an opened file starts on the start screen', async () => {
		let first = '';
		const peek: FrontEnd = async (state) => {
			first = currentStep(state).id;
			return {outcome: {action: 'save'}, answers: state.answers};
		};
		await runWizard({configPath: withExample(), output: collectInOrder().output, stdin: terminal, frontEnd: peek});
		assert.equal(first, 'start');
	});

	test('quitting keeps the answers and exits 130', async () => {
		const configPath = withExample();
		const {lines, output} = collectInOrder();
		assert.equal(await runWizard({configPath, output, stdin: terminal, frontEnd: leaving('quit')}), quitExitCode);
		assert.equal(readFileSync(configPath, 'utf8'), exampleText('three-control-planes'));
		assert.match(lines.join('\n'), /Your answers are saved in .*cluster\.yaml; run kubeha to go on\./);
	});

	test('export calls the injected export with the spec and the bundle beside it', async () => {
		const configPath = withExample();
		const calls: string[][] = [];
		const code = await runWizard({
			configPath,
			output: collectInOrder().output,
			stdin: terminal,
			frontEnd: leaving('export'),
			exportBundle: async (config, bundle) => {
				calls.push([config, bundle]);
				return 0;
			},
		});
		assert.equal(code, 0);
		assert.deepEqual(calls, [[configPath, configPath.replace(/cluster\.yaml$/, 'cluster-bundle')]]);
	});

	test('apply says honestly that it is not there yet, or runs the injected one', async () => {
		const {lines, output} = collectInOrder();
		assert.equal(await runWizard({configPath: withExample(), output, stdin: terminal, frontEnd: leaving('apply')}), 2);
		assert.match(lines.join('\n'), /apply is not available yet/);
		const code = await runWizard({
			configPath: withExample(),
			output: collectInOrder().output,
			stdin: terminal,
			frontEnd: leaving('apply'),
			apply: async () => 0,
		});
		assert.equal(code, 0);
	});

	test('adding a node hands it to the injected add-node with cluster.yaml untouched; quitting says none was added', async () => {
		const configPath = withExample();
		const adding =
			(last: WizardAction): FrontEnd =>
			async (state) => {
				const actions: WizardAction[] = [
					{type: 'select', value: 'add-node'},
					{type: 'answer', id: 'newNode.name', text: 'worker3'},
					{type: 'answer', id: 'newNode.address', text: '192.168.1.103'},
					{type: 'next'},
					last,
				];
				const left = actions.reduce(wizardReducer, state);
				assert.ok(left.outcome, `the wizard ended on ${currentStep(left).id}`);
				return {outcome: left.outcome, answers: left.answers};
			};
		const calls: unknown[] = [];
		const addNode = async (config: string, node: NodeToAdd) => {
			calls.push([config, node, readFileSync(config, 'utf8')]);
			return 0;
		};
		const added = adding({type: 'select', value: 'add'});
		assert.equal(
			await runWizard({configPath, output: collectInOrder().output, stdin: terminal, frontEnd: added, addNode}),
			0,
		);
		const text = exampleText('three-control-planes');
		assert.deepEqual(calls, [[configPath, {name: 'worker3', address: '192.168.1.103', roles: ['worker']}, text]]);
		const {lines, output} = collectInOrder();
		const quit = adding({type: 'select', value: 'quit'});
		assert.equal(await runWizard({configPath, output, stdin: terminal, frontEnd: quit, addNode}), quitExitCode);
		assert.match(lines.join('\n'), /Stopped\. No node was added to .*cluster\.yaml\./);
		assert.equal(readFileSync(configPath, 'utf8'), text);
	});

	test('without add-node connected, a node handed over is refused with the command to run instead', async () => {
		const node = {name: 'worker3', address: '192.168.1.103', roles: ['worker']} as const;
		const handing: FrontEnd = async (state) => ({outcome: {action: 'add-node', node}, answers: state.answers});
		const {lines, output} = collectInOrder();
		assert.equal(await runWizard({configPath: withExample(), output, stdin: terminal, frontEnd: handing}), 2);
		assert.match(
			lines.join('\n'),
			/adding a node is not available here; run kubeha add-node -c .*cluster\.yaml --name worker3/,
		);
	});

	test('TERM=dumb gets the plain mode, which Ctrl-C leaves after asking', async () => {
		const screen = new ScriptedTerminal();
		const stdin = Object.assign(screen.input, {isTTY: true}) as unknown as NodeJS.ReadStream;
		const stdout = Object.assign(screen.output, {isTTY: true}) as unknown as NodeJS.WriteStream;
		const drive = async () => {
			await screen.waitFor('kubeha: a cluster spec in a few questions.');
			await screen.waitFor('Cluster name');
			screen.press('\u0003');
			await screen.answer('Quit?');
		};
		const configPath = join(mkdtempSync(join(tmpdir(), 'kubeha-run-')), 'cluster.yaml');
		const [code] = await Promise.all([
			runWizard({configPath, output: collectInOrder().output, stdin, stdout, env: {TERM: 'dumb'}}),
			drive(),
		]);
		assert.equal(code, quitExitCode);
	});
});
