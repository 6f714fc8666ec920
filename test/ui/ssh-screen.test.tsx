import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import {cleanup} from 'ink-testing-library';
import {App} from '../../source/ui/app.tsx';
import type {CheckHost} from '../../source/wizard/services.ts';
import {keys, renderInk} from '../helpers/render-ink.tsx';
import {exampleAnswers, fakeServices, outcome, stateAt} from '../wizard/helpers.ts';

afterEach(cleanup);

describe('the SSH screen', () => {
	test('checks every host with the settings typed, through the injected check', async () => {
		const asked: string[] = [];
		const checkHost: CheckHost = async (node, ssh) => {
			asked.push(`${ssh.user}@${node.address}:${ssh.port}`);
			return node.name === 'cp2'
				? {reachable: false, detail: 'connection refused'}
				: {reachable: true, detail: 'OpenSSH_9.2'};
		};
		const {services} = fakeServices({checkHost});
		const initial = stateAt('ssh', exampleAnswers('kube-vip'), {environment: {canCheckHosts: true}});
		const ui = renderInk(<App initial={initial} services={services} onDone={outcome().onDone} />);
		await ui.waitFor('SSH user');
		await ui.press(keys.backspace, keys.backspace, keys.backspace, keys.backspace);
		await ui.type('admin');
		await ui.press(keys.enter, keys.enter, keys.enter);
		await ui.waitFor('Enter connects to every node');
		await ui.press(keys.enter);
		await ui.waitFor(/cp2 +172\.16\.10\.12 +✖ connection refused/);
		await ui.waitFor(/worker1 +172\.16\.10\.21 +✔ OpenSSH_9\.2/);
		assert.deepEqual(asked.sort(), [
			'admin@172.16.10.11:22',
			'admin@172.16.10.12:22',
			'admin@172.16.10.13:22',
			'admin@172.16.10.21:22',
		]);
		await ui.waitFor('❯ Continue →');
	});

	test('without a check connected, says so and lets the operator go on', async () => {
		const {services} = fakeServices();
		const ui = renderInk(
			<App initial={stateAt('ssh', exampleAnswers('kube-vip'))} services={services} onDone={outcome().onDone} />,
		);
		await ui.waitFor(/Check the hosts +not available yet/);
		await ui.press(keys.down, keys.down, keys.backspace, keys.backspace);
		await ui.waitFor('Path of the private key');
		await ui.type('~/.ssh/id_ed25519');
		await ui.press(keys.enter, keys.enter, keys.enter);
		await ui.waitFor('Review (7/8)');
	});
});
