import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {Choice} from '../../source/wizard/question.ts';
import {
	canLeave,
	currentFindings,
	currentQuestions,
	currentStep,
	progress,
	type WizardAction,
	type WizardState,
	wizardReducer,
} from '../../source/wizard/state.ts';
import {exampleAnswers, exampleText, stateAt} from './helpers.ts';

const run = (state: WizardState, ...actions: WizardAction[]): WizardState => actions.reduce(wizardReducer, state);

const opened = (example: string, canAddNode = true) =>
	stateAt('start', exampleAnswers(example), {opened: exampleText(example), environment: {canAddNode}});

const addingTo = (example: string) => run(opened(example), {type: 'select', value: 'add-node'});

function options(state: WizardState, id: string): readonly Choice[] {
	const question = currentQuestions(state).find((candidate) => candidate.id === id);
	assert.ok(question?.kind === 'choice', `no choice ${id}`);
	return question.options(state.answers);
}

const disabled = (state: WizardState, id: string) =>
	Object.fromEntries(options(state, id).map((option) => [option.value, option.disabled]));

const type = (id: string, text: string): WizardAction => ({type: 'answer', id, text});

const cp4 = [type('newNode.name', 'cp4'), type('newNode.address', '192.168.1.95')];

describe('adding a node', () => {
	test('is offered on the start screen when kubeha add-node is connected and the spec has no errors', () => {
		assert.equal(disabled(opened('three-control-planes'), 'intent')['add-node'], undefined);
		assert.equal(
			disabled(opened('three-control-planes', false), 'intent')['add-node'],
			'adding a node is not available yet',
		);
		const broken = run(opened('three-control-planes'), {type: 'select', value: 'new'}, {type: 'back'});
		assert.equal(
			disabled(broken, 'intent')['add-node'],
			undefined,
			'a new draft chosen before does not count: adding works on the opened file',
		);
		const invalid = stateAt(
			'start',
			{...exampleAnswers('three-control-planes'), spec: {...exampleAnswers('three-control-planes').spec, name: ''}},
			{opened: true, environment: {canAddNode: true}},
		);
		assert.equal(disabled(invalid, 'intent')['add-node'], 'cluster.yaml has errors: choose Edit it to fix them first');
	});

	test('asks for the node, then confirms; the other screens are not on the way', () => {
		const state = addingTo('three-control-planes');
		assert.equal(currentStep(state).id, 'add-node');
		assert.deepEqual(
			progress(state).map(({step, status}) => `${step.id}:${status}`),
			['start:done', 'add-node:current', 'add-node-confirm:upcoming'],
		);
		assert.deepEqual(
			currentQuestions(state).map((question) => question.id),
			['newNode.name', 'newNode.address', 'newNode.group'],
		);
	});

	test('offers the roles the topology allows', () => {
		assert.deepEqual(disabled(addingTo('three-control-planes'), 'newNode.group'), {
			worker: undefined,
			'control-plane': undefined,
			etcd: 'etcd is stacked on the control planes',
			'load-balancer': 'the VIP is held by the control planes: add a control plane',
		});
		assert.deepEqual(
			options(addingTo('three-control-planes'), 'newNode.group').map((option) => option.label),
			['worker', 'control-plane + load-balancer', 'etcd', 'load-balancer'],
		);
		const external = disabled(addingTo('external-etcd'), 'newNode.group');
		assert.deepEqual(Object.values(external), [undefined, undefined, undefined, undefined]);
		assert.equal(
			disabled(addingTo('external-load-balancer'), 'newNode.group')['load-balancer'],
			'the load balancer is not part of the cluster',
		);
	});

	test('checks each answer as it is given and keeps the operator until the node can be added', () => {
		const taken = run(addingTo('three-control-planes'), type('newNode.name', 'cp1'));
		assert.match(currentFindings(taken)[0]?.message ?? '', /nodes\[0]\.name is already "cp1"/);
		assert.equal(canLeave(taken), false);
		const stayed = run(taken, {type: 'next'});
		assert.equal(currentStep(stayed).id, currentStep(taken).id);
		assert.equal(stayed.tried, true, 'the attempt shows every finding');
		const outside = run(taken, ...cp4.slice(0, 1), type('newNode.address', '10.0.0.5'), {
			type: 'choose',
			id: 'newNode.group',
			value: 'control-plane',
		});
		assert.deepEqual(
			currentFindings(outside).map((finding) => `${finding.rule} ${finding.path}`),
			['vip-holder-subnet loadBalancer.vip'],
		);
		const fixed = run(outside, type('newNode.address', '192.168.1.95'));
		assert.equal(canLeave(fixed), true, 'a warning (a fourth etcd member) does not block');
		assert.equal(currentStep(run(fixed, {type: 'next'})).id, 'add-node-confirm');
	});

	test('asks a load-balancer node for its priority, proposing the one below every other', () => {
		const controlPlane = run(addingTo('three-control-planes'), ...cp4, {
			type: 'choose',
			id: 'newNode.group',
			value: 'control-plane',
		});
		const priority = currentQuestions(controlPlane).at(-1);
		assert.ok(priority?.kind === 'text' && priority.id === 'newNode.priority');
		assert.equal(priority.read(controlPlane.answers), '90');
		const accepted = run(controlPlane, type('newNode.priority', '90'));
		assert.equal(
			accepted.answers.newNode?.priority,
			undefined,
			'the proposed priority stays kubeha add-node’s to pick',
		);
		const above = run(controlPlane, type('newNode.priority', '200'));
		assert.ok(currentFindings(above).some((finding) => finding.rule === 'add-node-takes-vip'));
		assert.match(
			run(controlPlane, type('newNode.priority', 'x')).invalid['newNode.priority']?.error ?? '',
			/whole number/,
		);
	});

	test('the confirmation hands the node over, goes back, or quits; cluster.yaml keeps no trace of it', () => {
		const confirm = run(addingTo('three-control-planes'), ...cp4, {type: 'next'});
		assert.equal(currentStep(confirm).id, 'add-node-confirm');
		assert.equal(confirm.answers.spec.nodes.length, 5);
		assert.deepEqual(run(confirm, {type: 'select', value: 'add'}).outcome, {
			action: 'add-node',
			node: {name: 'cp4', address: '192.168.1.95', roles: ['worker']},
		});
		const back = run(confirm, {type: 'select', value: 'back'});
		assert.equal(currentStep(back).id, 'add-node');
		assert.equal(back.answers.newNode?.name, 'cp4');
		assert.deepEqual(run(confirm, {type: 'select', value: 'quit'}).outcome, {action: 'quit'});
	});
});
