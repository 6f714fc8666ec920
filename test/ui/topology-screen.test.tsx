import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import {cleanup} from 'ink-testing-library';
import {error} from '../../source/spec/finding.ts';
import {App} from '../../source/ui/app.tsx';
import {newAnswers} from '../../source/wizard/answers.ts';
import {keys, renderInk} from '../helpers/render-ink.tsx';
import {exampleAnswers, fakeServices, findingWhen, outcome, stateAt} from '../wizard/helpers.ts';

afterEach(cleanup);

describe('the topology screen', () => {
	test('asks the counts and shows the quorum arithmetic as they change', async () => {
		const {services} = fakeServices();
		const ui = renderInk(
			<App initial={stateAt('topology', newAnswers())} services={services} onDone={outcome().onDone} />,
		);
		await ui.waitFor('Cluster name');
		await ui.type('prod');
		await ui.press(keys.down);
		await ui.waitFor('Each runs an API server and an etcd member.');
		assert.match(ui.frame(), /3 etcd members tolerate 1 failure \(quorum 2\)\./);
		await ui.press(keys.backspace);
		await ui.type('2');
		await ui.waitFor(
			'2 etcd members tolerate 0 failures (quorum 2): either one failing stops the cluster, so 2 is worse than 1',
		);
		await ui.press(keys.backspace);
		await ui.type('5');
		await ui.waitFor('5 etcd members tolerate 2 failures (quorum 3).');
	});

	test('external etcd asks how many etcd nodes; an existing load balancer asks its endpoint', async () => {
		const {services} = fakeServices();
		const ui = renderInk(
			<App initial={stateAt('topology', newAnswers())} services={services} onDone={outcome().onDone} />,
		);
		await ui.waitFor('Cluster name');
		await ui.press(keys.down, keys.down);
		await ui.waitFor('On each control plane: fewer machines');
		assert.doesNotMatch(ui.frame(), /etcd nodes/);
		await ui.press(keys.right);
		await ui.waitFor('etcd nodes');
		await ui.waitFor('On nodes of its own');
		await ui.press(keys.down, keys.down, keys.down);
		await ui.waitFor('keepalived moves the VIP, haproxy spreads requests');
		await ui.press(keys.left);
		await ui.waitFor('Load balancer endpoint');
		assert.doesNotMatch(ui.frame(), /Run them as/);
	});

	test('a typo in a number is refused with the reason, and the count stays as it was', async () => {
		const {services} = fakeServices();
		const ui = renderInk(
			<App initial={stateAt('topology', newAnswers())} services={services} onDone={outcome().onDone} />,
		);
		await ui.waitFor('Cluster name');
		await ui.press(keys.down, keys.down, keys.down);
		await ui.waitFor('Nodes that run your workloads');
		await ui.type('x');
		await ui.waitFor('"2x" is not a whole number; write digits only, such as 0.');
		assert.match(ui.frame(), /Continue → \(fix the errors below first\)/);
	});

	test('an error from the rules blocks going on and says how to fix it; Enter on Continue then stays', async () => {
		const {services, saved} = fakeServices();
		const validate = findingWhen(
			(spec) => spec.name === 'Prod',
			error('cluster-name', 'name', 'name is "Prod", which has capitals', 'write "prod".'),
		);
		const ui = renderInk(
			<App initial={stateAt('topology', newAnswers(), {validate})} services={services} onDone={outcome().onDone} />,
		);
		await ui.waitFor('Cluster name');
		await ui.type('Prod');
		await ui.waitFor('✖ error name: name is "Prod", which has capitals [cluster-name]');
		assert.match(ui.frame(), /fix: write "prod"\./);
		await ui.press(keys.enter, keys.enter, keys.enter, keys.enter, keys.enter, keys.enter);
		await ui.waitFor('❯ Continue → (fix the errors below first)');
		await ui.press(keys.enter);
		assert.match(ui.frame(), /Topology \(1\/8\)/);
		await ui.press(keys.up, keys.up, keys.up, keys.up, keys.up, keys.up);
		await ui.waitFor('❯ Cluster name');
		assert.equal(saved.length, 0, 'nothing moved, nothing saved');
		await ui.press(keys.backspace, keys.backspace, keys.backspace, keys.backspace);
		await ui.type('prod');
		await ui.waitFor((frame) => !frame.includes('[cluster-name]'));
	});

	test('Esc goes back to the start screen, and the answers are still there when the operator returns', async () => {
		const {services} = fakeServices();
		const initial = stateAt('topology', exampleAnswers('three-control-planes'), {opened: true});
		const ui = renderInk(<App initial={initial} services={services} onDone={outcome().onDone} />);
		await ui.waitFor('Cluster name');
		await ui.press(keys.backspace);
		await ui.type('x');
		await ui.waitFor('prox');
		await ui.press(keys.escape);
		await ui.waitFor('cluster.yaml exists. What do you want to do?');
		await ui.press(keys.enter);
		await ui.waitFor('Cluster name');
		assert.match(ui.frame(), /Cluster name +prox/);
	});
});
