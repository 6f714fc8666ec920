import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import {cleanup} from 'ink-testing-library';
import {virtualRouterIdFor} from '../../source/spec/defaults.ts';
import {App} from '../../source/ui/app.tsx';
import {keys, renderInk} from '../helpers/render-ink.tsx';
import {exampleAnswers, fakeServices, outcome, stateAt} from '../wizard/helpers.ts';

afterEach(cleanup);

/** The wizard at the virtual IP screen, with the three-control-plane example's answers. */
function renderVipScreen() {
	const {services} = fakeServices();
	return renderInk(
		<App
			initial={stateAt('vip', exampleAnswers('three-control-planes'))}
			services={services}
			onDone={outcome().onDone}
		/>,
	);
}

describe('the virtual IP screen', () => {
	test('proposes the VRRP id derived from the cluster name, marks the MASTER and shows the failover order', async () => {
		const ui = renderVipScreen();
		await ui.waitFor('Failover order: cp1 120 (MASTER) → cp2 110 → cp3 100');
		const id = virtualRouterIdFor('prod');
		assert.notEqual(id, 51);
		assert.match(ui.frame(), new RegExp(`VRRP id +${id}\\b`));
		await ui.press(keys.down, keys.down, keys.down, keys.down, keys.down, keys.down);
		await ui.waitFor('Takes the VIP over when the 2 above it are down.');
		await ui.press(keys.backspace, keys.backspace, keys.backspace);
		await ui.type('130');
		await ui.waitFor('Failover order: cp3 130 (MASTER) → cp1 120 → cp2 110');
		await ui.waitFor('The highest: MASTER, holds the VIP while its API server is healthy.');
	});

	test('unicast or multicast is a choice, each explained', async () => {
		const ui = renderVipScreen();
		await ui.waitFor('Virtual IP');
		await ui.press(keys.down, keys.down, keys.down);
		await ui.waitFor('To 224.0.0.18, the VRRP default');
		await ui.press(keys.right);
		await ui.waitFor("To each peer's address; for clouds and switches that drop multicast.");
	});

	test('kube-vip has a VIP and an interface but no priorities', async () => {
		const {services} = fakeServices();
		const ui = renderInk(
			<App initial={stateAt('vip', exampleAnswers('kube-vip'))} services={services} onDone={outcome().onDone} />,
		);
		await ui.waitFor('kube-vip elects a leader among the control planes');
		assert.match(ui.frame(), /Virtual IP +172\.16\.10\.100\/24/);
		assert.doesNotMatch(ui.frame(), /Priority of|VRRP id/);
	});
});
