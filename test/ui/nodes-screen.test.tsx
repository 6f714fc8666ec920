import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import {cleanup} from 'ink-testing-library';
import {App} from '../../source/ui/app.tsx';
import {newAnswers} from '../../source/wizard/answers.ts';
import {initialState, wizardReducer} from '../../source/wizard/state.ts';
import {wizardSteps} from '../../source/wizard/steps/index.ts';
import {keys, renderInk} from '../helpers/render-ink.tsx';
import {environment, exampleAnswers, fakeServices, noFindings, outcome, stateAt} from '../wizard/helpers.ts';

afterEach(cleanup);

/** The nodes screen as a new cluster reaches it: three control planes and two workers, no addresses yet. */
function freshNodes() {
	const start = initialState({
		steps: wizardSteps(),
		environment: environment(),
		answers: newAnswers(),
		validate: noFindings,
	});
	const named = wizardReducer(start, {type: 'answer', id: 'name', text: 'prod'});
	return wizardReducer(named, {type: 'next'});
}

describe('the nodes screen', () => {
	test('is pre-filled from the topology, and a pasted range fills several addresses', async () => {
		const {services, saved} = fakeServices();
		const done = outcome();
		const ui = renderInk(<App initial={freshNodes()} services={services} onDone={done.onDone} />);
		await ui.waitFor('+ add a node');
		assert.match(ui.frame(), /cp3 +\(none\) +control-plane, load-balancer/);
		await ui.type('192.168.1.91-93');
		await ui.press(keys.enter);
		await ui.waitFor(/cp3 +192\.168\.1\.93/);
		await ui.type('192.168.1.101, 192.168.1.102');
		await ui.press(keys.enter);
		await ui.waitFor(/worker2 +192\.168\.1\.102/);
		await ui.waitFor('❯ Continue →');
		await ui.press(keys.enter);
		await ui.waitFor('Virtual IP (3/8)');
		assert.deepEqual(
			saved.at(-1)?.spec.nodes.map((node) => `${node.name} ${node.address}`),
			['cp1 192.168.1.91', 'cp2 192.168.1.92', 'cp3 192.168.1.93', 'worker1 192.168.1.101', 'worker2 192.168.1.102'],
		);
	});

	test('edits a name and the roles in place; a wrong role is refused and named', async () => {
		const {services} = fakeServices();
		const ui = renderInk(
			<App initial={stateAt('nodes', exampleAnswers('kube-vip'))} services={services} onDone={outcome().onDone} />,
		);
		await ui.waitFor('+ add a node');
		await ui.press(keys.down, keys.down, keys.down);
		await ui.press(keys.backspace);
		await ui.type('9');
		await ui.waitFor(/worker9 +172\.16\.10\.21/);
		await ui.press(keys.tab, keys.tab);
		await ui.press(keys.backspace, keys.backspace, keys.backspace, keys.backspace, keys.backspace, keys.backspace);
		await ui.type('master');
		await ui.press(keys.up);
		await ui.waitFor(
			'✖ worker9 roles: "master" is not a role; the roles are control-plane (cp), worker, etcd and load-balancer (lb).',
		);
		await ui.press(keys.down);
		await ui.press(keys.ctrlD);
		await ui.waitFor((frame) => !frame.includes('worker9'));
		assert.doesNotMatch(ui.frame(), /"master" is not a role/);
	});

	test('adds a node at the end and removes one with Ctrl-D', async () => {
		const {services} = fakeServices();
		const ui = renderInk(
			<App initial={stateAt('nodes', exampleAnswers('kube-vip'))} services={services} onDone={outcome().onDone} />,
		);
		await ui.waitFor('+ add a node');
		await ui.press(keys.up, keys.up, keys.up, keys.up, keys.up, keys.down, keys.down, keys.down, keys.down);
		await ui.waitFor('❯ + add a node');
		await ui.press(keys.enter);
		await ui.waitFor(/worker2 +\(none\) +worker/);
		await ui.press(keys.tab);
		await ui.type('172.16.10.22');
		await ui.waitFor(/worker2 +172\.16\.10\.22/);
		await ui.press(keys.up, keys.up, keys.up, keys.up, keys.ctrlD);
		await ui.waitFor((frame) => !/cp1 +172/.test(frame));
		assert.match(ui.frame(), /cp2 +172\.16\.10\.12/);
	});
});
