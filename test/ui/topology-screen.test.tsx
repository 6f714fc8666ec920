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

	test('a number field takes digits only, and ←/→ change the count', async () => {
		const {services} = fakeServices();
		const ui = renderInk(
			<App initial={stateAt('topology', newAnswers())} services={services} onDone={outcome().onDone} />,
		);
		await ui.waitFor('Cluster name');
		await ui.press(keys.down, keys.down, keys.down);
		await ui.waitFor('Nodes that run your workloads');
		await ui.type('x');
		assert.match(ui.frame(), /Workers +2\b/, 'a letter is not taken');
		await ui.press(keys.right);
		await ui.waitFor(/Workers +3\b/);
		await ui.type('5');
		await ui.waitFor(/Workers +5\b/, 'a digit typed on a value just changed replaces it');
		await ui.press(keys.backspace);
		await ui.waitFor((frame) => /❯ Workers\s*$/m.test(frame));
		assert.doesNotMatch(ui.frame(), /Workers +2\b/, 'deleting every digit does not snap back');
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
		assert.doesNotMatch(ui.frame(), /\[cluster-name]/, 'no error while the name is being typed');
		await ui.press(keys.down);
		await ui.waitFor('✖ Cluster name is "Prod", which has capitals [cluster-name]');
		assert.match(ui.frame(), /fix: write "prod"\./);
		await ui.press(keys.enter, keys.enter, keys.enter, keys.enter, keys.enter);
		await ui.waitFor('❯ Continue →');
		assert.doesNotMatch(ui.frame(), /fix the errors below first/, 'not before the operator tries to go on');
		await ui.press(keys.enter);
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
