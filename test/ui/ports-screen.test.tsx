import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import {cleanup} from 'ink-testing-library';
import {App} from '../../source/ui/app.tsx';
import {keys, renderInk} from '../helpers/render-ink.tsx';
import {exampleAnswers, fakeServices, outcome, stateAt} from '../wizard/helpers.ts';

afterEach(cleanup);

describe('the ports screen', () => {
	test('proposes 8443 with the reason when haproxy shares the control planes with the API server', async () => {
		const {services, saved} = fakeServices();
		const answers = exampleAnswers('three-control-planes');
		const spec = {...answers.spec, loadBalancer: {...answers.spec.loadBalancer, port: undefined, statsPort: undefined}};
		const ui = renderInk(
			<App initial={stateAt('ports', {...answers, spec})} services={services} onDone={outcome().onDone} />,
		);
		await ui.waitFor(
			'8443 proposed: haproxy shares cp1, cp2, cp3 with kube-apiserver, which holds 6443 on every address.',
		);
		assert.match(ui.frame(), /Port on the VIP +8443/);
		await ui.press(keys.down, keys.down);
		await ui.type('1080');
		await ui.press(keys.enter, keys.enter);
		await ui.waitFor('Kubernetes (5/8)');
		assert.equal(saved.at(-1)?.spec.loadBalancer.port, undefined, 'the proposed port stays derived');
		assert.equal(saved.at(-1)?.spec.loadBalancer.statsPort, 1080);
	});

	test('dedicated load-balancer nodes keep the API server port, and say why', async () => {
		const {services} = fakeServices();
		const ui = renderInk(
			<App initial={stateAt('ports', exampleAnswers('external-etcd'))} services={services} onDone={outcome().onDone} />,
		);
		await ui.waitFor("haproxy runs on nodes of its own, so the VIP can keep the API server's port 6443.");
	});

	test('an existing load balancer only asks the API server port', async () => {
		const {services} = fakeServices();
		const ui = renderInk(
			<App
				initial={stateAt('ports', exampleAnswers('external-load-balancer'))}
				services={services}
				onDone={outcome().onDone}
			/>,
		);
		await ui.waitFor('API server port');
		assert.doesNotMatch(ui.frame(), /Port on the VIP|stats port/);
	});
});
