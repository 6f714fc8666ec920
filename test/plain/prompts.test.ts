import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {input, rawlist} from '@inquirer/prompts';
import {render} from '@inquirer/testing';
import {choicePrompt, textPrompt} from '../../source/plain/ask-form.ts';
import type {ChoiceQuestion, TextQuestion} from '../../source/wizard/question.ts';
import {currentQuestions, type WizardState} from '../../source/wizard/state.ts';
import {exampleAnswers, stateAt} from '../wizard/helpers.ts';

function question<K extends 'text' | 'choice'>(state: WizardState, id: string, kind: K) {
	const found = currentQuestions(state).find((candidate) => candidate.id === id);
	assert.equal(found?.kind, kind);
	return found as K extends 'text' ? TextQuestion : ChoiceQuestion;
}

describe('plain-mode prompts', () => {
	test('a number question shows its answer in brackets, and refuses a typo with the reason, staying open', async () => {
		const state = stateAt('ports', exampleAnswers('three-control-planes'));
		const {answer, events, getScreen} = await render(input, textPrompt(question(state, 'bindPort', 'text'), state));
		assert.equal(getScreen(), '? API server port (6443)');
		events.type('64x3');
		events.keypress('enter');
		await new Promise((resolve) => {
			setImmediate(resolve);
		});
		assert.match(getScreen(), /"64x3" is not a whole number; write digits only/);
		(answer as Promise<string> & {cancel: () => void}).cancel();
		await assert.rejects(answer, {name: 'CancelPromptError'});
	});

	test('an optional answer is cleared with -, and Enter alone keeps the one shown', async () => {
		const state = stateAt('ports', exampleAnswers('three-control-planes'));
		const stats = question(state, 'statsPort', 'text');
		const cleared = await render(input, textPrompt(stats, state));
		assert.equal(cleared.getScreen(), '? haproxy stats port (- for none) (1080)');
		cleared.events.type('-');
		cleared.events.keypress('enter');
		assert.equal(await cleared.answer, '-');
		const kept = await render(input, textPrompt(stats, state));
		kept.events.keypress('enter');
		assert.equal(await kept.answer, '1080');
	});

	test('a choice lists its options numbered, each with the line that explains it', async () => {
		const state = stateAt('topology', exampleAnswers('three-control-planes'));
		const {answer, events, getScreen} = await render(
			rawlist,
			choicePrompt(question(state, 'placement', 'choice'), state),
		);
		assert.equal(
			getScreen(),
			[
				'? Load balancer 1',
				'  1) keepalived + haproxy on the control planes — keepalived moves the VIP, haproxy spreads requests over every API server; no extra machines.',
				'  2) keepalived + haproxy on dedicated nodes — Small machines of their own in front of the control planes; the VIP keeps port 6443.',
				"  3) kube-vip — A static pod on each control plane announces the VIP by ARP; the leader's API server answers.",
				'  4) an existing load balancer — An appliance or cloud LB already forwards to the control planes; kubeha points kubeadm at it.',
			].join('\n'),
		);
		events.keypress('backspace');
		events.type('3');
		events.keypress('enter');
		assert.equal(await answer, 'kube-vip');
	});
});
