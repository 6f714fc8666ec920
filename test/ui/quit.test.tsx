import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import {cleanup} from 'ink-testing-library';
import {App} from '../../source/ui/app.tsx';
import {keys, renderInk} from '../helpers/render-ink.tsx';
import {exampleAnswers, fakeServices, outcome, stateAt} from '../wizard/helpers.ts';

afterEach(cleanup);

describe('Ctrl-C', () => {
	test('asks before quitting; n goes on where the operator was', async () => {
		const {services} = fakeServices();
		const done = outcome();
		const ui = renderInk(
			<App initial={stateAt('vip', exampleAnswers('kube-vip'))} services={services} onDone={done.onDone} />,
		);
		await ui.waitFor('Virtual IP');
		await ui.press(keys.ctrlC);
		await ui.waitFor('Quit? Your answers are saved in cluster.yaml; run kubeha again to go on. (y/n)');
		await ui.press('x');
		assert.match(ui.frame(), /Virtual IP +172\.16\.10\.100\/24/, 'keys do not reach the screen while it asks');
		await ui.press('n');
		await ui.waitFor('↑↓ move');
		await ui.press(keys.ctrlC);
		await ui.waitFor('(y/n)');
		await ui.press('y');
		const finished = await done.finished;
		assert.deepEqual(finished.outcome, {action: 'quit'});
		assert.equal(finished.answers.spec.name, 'edge');
	});

	test('twice quits at once', async () => {
		const {services} = fakeServices();
		const done = outcome();
		const ui = renderInk(
			<App initial={stateAt('nodes', exampleAnswers('kube-vip'))} services={services} onDone={done.onDone} />,
		);
		await ui.waitFor('+ add a node');
		await ui.press(keys.ctrlC, keys.ctrlC);
		assert.deepEqual((await done.finished).outcome, {action: 'quit'});
	});
});
