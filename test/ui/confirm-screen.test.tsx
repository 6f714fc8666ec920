import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import {cleanup} from 'ink-testing-library';
import {App} from '../../source/ui/app.tsx';
import {keys, renderInk} from '../helpers/render-ink.tsx';
import {exampleAnswers, fakeServices, outcome, stateAt} from '../wizard/helpers.ts';

afterEach(cleanup);

describe('the confirm screen', () => {
	test('says apply is not available yet, and cannot be moved onto it', async () => {
		const {services} = fakeServices();
		const done = outcome();
		const ui = renderInk(
			<App
				initial={stateAt('confirm', exampleAnswers('three-control-planes'))}
				services={services}
				onDone={done.onDone}
			/>,
		);
		await ui.waitFor('Apply to the 5 hosts (apply is not available yet)');
		await ui.press(keys.down, keys.down, keys.down);
		await ui.waitFor('❯ Export the bundle');
		await ui.waitFor("Write every host's files, a README and checksums to cluster-bundle.");
		await ui.press(keys.enter);
		assert.deepEqual((await done.finished).outcome, {action: 'export'});
	});

	test('with a runner connected, apply can be chosen', async () => {
		const {services} = fakeServices();
		const done = outcome();
		const initial = stateAt('confirm', exampleAnswers('three-control-planes'), {environment: {canApply: true}});
		const ui = renderInk(<App initial={initial} services={services} onDone={done.onDone} />);
		await ui.waitFor('❯ Save and quit');
		assert.doesNotMatch(ui.frame(), /not available yet/);
		await ui.press(keys.down, keys.down, keys.enter);
		assert.deepEqual((await done.finished).outcome, {action: 'apply'});
	});

	test('save and quit', async () => {
		const {services} = fakeServices();
		const done = outcome();
		const ui = renderInk(
			<App initial={stateAt('confirm', exampleAnswers('kube-vip'))} services={services} onDone={done.onDone} />,
		);
		await ui.waitFor('❯ Save and quit');
		await ui.press(keys.enter);
		assert.deepEqual((await done.finished).outcome, {action: 'save'});
	});
});
