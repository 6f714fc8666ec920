import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import {cleanup} from 'ink-testing-library';
import {warning} from '../../source/spec/finding.ts';
import {App} from '../../source/ui/app.tsx';
import {keys, renderInk} from '../helpers/render-ink.tsx';
import {exampleAnswers, fakeServices, findingWhen, outcome, stateAt} from '../wizard/helpers.ts';

afterEach(cleanup);

describe('the Kubernetes screen', () => {
	test('edits the version and subnets, and changes the CNI with the arrows', async () => {
		const {services, saved} = fakeServices();
		const ui = renderInk(
			<App initial={stateAt('kubernetes', exampleAnswers('kube-vip'))} services={services} onDone={outcome().onDone} />,
		);
		await ui.waitFor('Kubernetes x.y.z');
		await ui.press(keys.down, keys.down, keys.down);
		await ui.waitFor('A simple VXLAN overlay; no network policy.');
		await ui.press(keys.right);
		await ui.waitFor('eBPF datapath, network policy and observability.');
		await ui.press(keys.enter, keys.enter);
		await ui.waitFor('SSH access (6/8)');
		assert.equal(saved.at(-1)?.spec.kubernetes.cni, 'cilium');
	});

	test('a warning is shown and can be accepted', async () => {
		const {services} = fakeServices();
		const validate = findingWhen(
			(spec) => spec.kubernetes.podSubnet === '10.0.0.0/8',
			warning(
				'pod-subnet-size',
				'kubernetes.podSubnet',
				'kubernetes.podSubnet is "10.0.0.0/8", very large',
				'use a /16.',
			),
		);
		const ui = renderInk(
			<App
				initial={stateAt('kubernetes', exampleAnswers('kube-vip'), {validate})}
				services={services}
				onDone={outcome().onDone}
			/>,
		);
		await ui.waitFor('Kubernetes x.y.z');
		await ui.press(keys.down);
		await ui.press(...Array.from({length: 13}, () => keys.backspace));
		await ui.type('10.0.0.0/8');
		await ui.press(keys.down);
		await ui.waitFor('▲ Pod subnet is "10.0.0.0/8", very large [pod-subnet-size]');
		await ui.waitFor('Continue → (accepting 1 warning)');
		await ui.press(keys.enter, keys.enter, keys.enter);
		await ui.waitFor('SSH access (6/8)');
	});
});
