import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import type {Key} from 'ink';
import {cleanup} from 'ink-testing-library';
import {noKey} from '../../source/ui/hooks/use-keys.ts';
import {ApplyProgress, eventQueue} from '../../source/ui/progress/index.ts';
import {type AbortConfirm, abortConfirmReducer} from '../../source/ui/progress/use-abort-confirm-state.ts';
import {eventsUntil, recorded} from '../fixtures/events/replay.ts';
import {keys, renderInk} from '../helpers/render-ink.tsx';

afterEach(cleanup);

const question = 'Stop the install? running commands will be ended and the journal kept (y/N)';

const press = (input: string, key: Partial<Key> = {}) => ({input, key: {...noKey, ...key}});
const ctrlC = press('c', {ctrl: true});

describe('abortConfirmReducer', () => {
	const cases: [AbortConfirm, ReturnType<typeof press>, AbortConfirm, string][] = [
		['watching', ctrlC, 'asking', 'Ctrl-C asks'],
		['watching', press('y'), 'watching', 'y alone does nothing'],
		['asking', press('y'), 'stopping', 'y stops'],
		['asking', press('Y', {shift: true}), 'stopping', 'Y stops'],
		['asking', ctrlC, 'stopping', 'a second Ctrl-C stops'],
		['asking', press('n'), 'watching', 'n goes on'],
		['asking', press('', {return: true}), 'watching', 'Enter takes the default, no'],
		['asking', press('', {escape: true}), 'watching', 'Esc goes on'],
		['asking', press('x'), 'asking', 'other keys keep asking'],
		['stopping', ctrlC, 'stopping', 'nothing undoes stopping'],
		['stopping', press('n'), 'stopping', 'n cannot take it back'],
	];
	for (const [state, key, expected, what] of cases) {
		test(what, () => {
			assert.equal(abortConfirmReducer(state, key), expected);
		});
	}
});

describe('Ctrl-C during the install', () => {
	const beforeAbort = eventsUntil(
		recorded('aborted'),
		(event) => event.kind === 'line' && event.host === 'cp2' && event.text.startsWith('Setting up kubelet'),
	);

	function showRun() {
		const queue = eventQueue();
		for (const event of beforeAbort) {
			queue.push(event);
		}

		const requests: number[] = [];
		const ui = renderInk(
			<ApplyProgress
				events={queue}
				onAbortRequest={() => requests.push(requests.length)}
				resumeCommand="kubeha apply -c cluster.yaml --resume"
				now={() => 0}
			/>,
		);
		return {ui, queue, requests};
	}

	test('asks first; n, or Enter, goes on without stopping anything', async () => {
		const {ui, requests} = showRun();
		await ui.waitFor('Setting up kubelet');
		await ui.press(keys.ctrlC);
		await ui.waitFor(question);
		await ui.press('x');
		assert.ok(ui.frame().includes(question), 'other keys keep the question');
		await ui.press('n');
		await ui.waitFor('Ctrl-C stop the install');
		assert.ok(!ui.frame().includes(question));
		await ui.press(keys.ctrlC);
		await ui.waitFor(question);
		await ui.press(keys.enter);
		await ui.waitFor('Ctrl-C stop the install');
		assert.deepEqual(requests, []);
	});

	test('y asks the caller to abort once, shows the run winding down, then how it stopped', async () => {
		const {ui, queue, requests} = showRun();
		await ui.waitFor('Setting up kubelet');
		await ui.press(keys.ctrlC);
		await ui.waitFor(question);
		await ui.press('y');
		await ui.waitFor('Stopping: ending the running commands; the journal is kept…');
		await ui.press('n', keys.ctrlC);
		assert.deepEqual(requests, [0]);
		assert.ok(ui.frame().includes('Stopping'), 'keys cannot take the stop back');
		// The runner answers the abort: the running hosts end as aborted.
		for (const event of recorded('aborted').slice(beforeAbort.length)) {
			queue.push(event);
		}

		const frame = await ui.waitFor('Install stopped after 13.0 s; the journal is kept');
		assert.ok(frame.includes('■ Install kubeadm, kubelet and kubectl (3.8 s)\n    stopped on cp1 cp2'), frame);
		assert.ok(frame.endsWith('  Go on with: kubeha apply -c cluster.yaml --resume'), frame);
		assert.ok(!frame.includes('Stopping'), frame);
		assert.deepEqual(requests, [0]);
	});

	test('Ctrl-C twice stops at once, as in the wizard', async () => {
		const {ui, requests} = showRun();
		await ui.waitFor('Setting up kubelet');
		await ui.press(keys.ctrlC, keys.ctrlC);
		await ui.waitFor('Stopping');
		assert.deepEqual(requests, [0]);
	});
});
