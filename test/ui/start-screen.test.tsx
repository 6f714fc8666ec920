import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import {cleanup} from 'ink-testing-library';
import {App} from '../../source/ui/app.tsx';
import {keys, renderInk} from '../helpers/render-ink.tsx';
import {exampleAnswers, fakeServices, outcome, stateAt} from '../wizard/helpers.ts';

afterEach(cleanup);

const opened = () => stateAt('start', exampleAnswers('three-control-planes'), {opened: true});

describe('the start screen', () => {
	test('offers the opened file, with adding a node unavailable without kubeha add-node', async () => {
		const {services} = fakeServices();
		const ui = renderInk(<App initial={opened()} services={services} onDone={outcome().onDone} />);
		await ui.waitFor('cluster.yaml exists. What do you want to do?');
		assert.match(ui.frame(), /❯ Edit it/);
		assert.match(ui.frame(), /Add a node \(adding a node is not available yet\)/);
		await ui.press(keys.down, keys.down, keys.down);
		await ui.waitFor('❯ Start a new cluster');
		await ui.waitFor('Answer everything from scratch; cluster.yaml is replaced when you move on.');
	});

	test('review and re-apply goes straight to the review', async () => {
		const {services} = fakeServices();
		const ui = renderInk(<App initial={opened()} services={services} onDone={outcome().onDone} />);
		await ui.waitFor('❯ Edit it');
		await ui.press(keys.down, keys.enter);
		await ui.waitFor('Review (2/3)');
		await ui.waitFor('No host gets a file yet.');
	});

	test('export ends the wizard with the export outcome', async () => {
		const {services} = fakeServices();
		const done = outcome();
		const ui = renderInk(<App initial={opened()} services={services} onDone={done.onDone} />);
		await ui.waitFor('❯ Edit it');
		await ui.press(keys.down, keys.down, keys.enter);
		const finished = await done.finished;
		assert.deepEqual(finished.outcome, {action: 'export'});
		assert.equal(finished.answers.spec.name, 'prod');
	});

	test('edit walks the screens with the answers filled in', async () => {
		const {services} = fakeServices();
		const ui = renderInk(<App initial={opened()} services={services} onDone={outcome().onDone} />);
		await ui.waitFor('❯ Edit it');
		await ui.press(keys.enter);
		await ui.waitFor(/Cluster name +prod/);
		assert.match(ui.frame(), /✔ Start/);
	});
});
