import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {error, warning} from '../../source/spec/finding.ts';
import {newAnswers} from '../../source/wizard/answers.ts';
import {
	blockers,
	canLeave,
	currentFindings,
	currentStep,
	progress,
	type WizardAction,
	type WizardState,
	wizardReducer,
} from '../../source/wizard/state.ts';
import {exampleAnswers, findingWhen, stateAt} from './helpers.ts';

const run = (state: WizardState, ...actions: WizardAction[]) => actions.reduce(wizardReducer, state);

describe('the wizard reducer', () => {
	test('next follows the steps, skipping those with nothing to ask (no VIP for an existing load balancer)', () => {
		const state = stateAt('topology', exampleAnswers('external-load-balancer'));
		const visited = [state, run(state, {type: 'next'}), run(state, {type: 'next'}, {type: 'next'})];
		assert.deepEqual(
			visited.map((step) => currentStep(step).id),
			['topology', 'nodes', 'ports'],
		);
	});

	test('back returns along the way taken, keeping every answer', () => {
		const state = stateAt('topology', exampleAnswers('three-control-planes'));
		const renamed = run(state, {type: 'answer', id: 'name', text: 'staging'}, {type: 'next'}, {type: 'back'});
		assert.equal(currentStep(renamed).id, 'topology');
		assert.equal(renamed.answers.spec.name, 'staging');
		assert.deepEqual(renamed.history, ['topology']);
	});

	test('an error on the current screen keeps the operator there; a warning does not', () => {
		const blocking = error('cluster-name', 'name', 'name is "Prod", which has capitals', 'write it in lowercase.');
		const state = stateAt('topology', exampleAnswers('three-control-planes'), {
			validate: findingWhen((spec) => spec.name !== spec.name.toLowerCase(), blocking),
		});
		const capital = run(state, {type: 'answer', id: 'name', text: 'Prod'});
		assert.deepEqual(currentFindings(capital), [blocking]);
		assert.equal(currentStep(run(capital, {type: 'next'})).id, 'topology');
		const warned = stateAt('topology', exampleAnswers('three-control-planes'), {
			validate: () => [warning('etcd-member-count', 'nodes', 'two members', 'use three.')],
		});
		assert.equal(canLeave(warned), true);
		assert.equal(currentStep(run(warned, {type: 'next'})).id, 'nodes');
	});

	test("findings of other screens' fields do not block this one", () => {
		const state = stateAt('topology', exampleAnswers('three-control-planes'), {
			validate: () => [error('vip-required', 'loadBalancer.vip', 'missing', 'add it.')],
		});
		assert.equal(currentStep(run(state, {type: 'next'})).id, 'nodes');
	});

	test('text that cannot be taken is kept with the reason, blocks, and is cleared by a correction', () => {
		const state = stateAt('ports', exampleAnswers('three-control-planes'));
		const typo = run(state, {type: 'answer', id: 'statsPort', text: '10a0'});
		const {statsPort: refused} = typo.invalid;
		assert.deepEqual(refused, {
			text: '10a0',
			error: '"10a0" is not a whole number; write digits only, such as 1.',
		});
		assert.deepEqual(blockers(typo).invalid, ['statsPort']);
		assert.equal(typo.answers.spec.loadBalancer.statsPort, 1080);
		const fixed = run(typo, {type: 'answer', id: 'statsPort', text: '1090'});
		const {statsPort: cleared} = fixed.invalid;
		assert.equal(cleared, undefined);
		assert.equal(fixed.answers.spec.loadBalancer.statsPort, 1090);
	});

	test('accepting a derived default keeps it derived', () => {
		const state = stateAt('ports', exampleAnswers('kube-vip'));
		const spec = {
			...state.answers.spec,
			loadBalancer: {...state.answers.spec.loadBalancer, mode: 'keepalived-haproxy' as const},
		};
		const keepalived = {...state, answers: {...state.answers, spec}};
		const accepted = run(keepalived, {type: 'answer', id: 'loadBalancerPort', text: '6443'});
		assert.equal(accepted.answers.spec.loadBalancer.port, undefined);
	});

	test('leaving the topology fills the nodes table from the counts', () => {
		const state = stateAt('topology', newAnswers());
		const moved = run(
			state,
			{type: 'answer', id: 'name', text: 'prod'},
			{type: 'answer', id: 'workers', text: '1'},
			{type: 'next'},
		);
		assert.deepEqual(
			moved.answers.spec.nodes.map((node) => node.name),
			['cp1', 'cp2', 'cp3', 'worker1'],
		);
	});

	test('choosing an existing load balancer asks for its endpoint and drops the VIP settings', () => {
		const state = stateAt('topology', exampleAnswers('three-control-planes'));
		const external = run(state, {type: 'choose', id: 'placement', value: 'external'});
		assert.equal(external.answers.spec.loadBalancer.mode, 'external');
		assert.equal(external.answers.spec.loadBalancer.vip, undefined);
		assert.ok(
			currentStep(external)
				.questions(external.answers, external.environment)
				.some((q) => q.id === 'endpoint'),
		);
	});

	test('the start screen: review jumps to the review, export ends at once, new starts over', () => {
		const opened = stateAt('start', exampleAnswers('three-control-planes'), {opened: true});
		assert.equal(currentStep(run(opened, {type: 'select', value: 'review'})).id, 'review');
		assert.deepEqual(run(opened, {type: 'select', value: 'export'}).outcome, {action: 'export'});
		const fresh = run(opened, {type: 'select', value: 'new'});
		assert.equal(fresh.answers.spec.name, '');
		assert.equal(currentStep(fresh).id, 'topology');
		const again = run(fresh, {type: 'back'}, {type: 'select', value: 'edit'});
		assert.equal(again.answers.spec.name, 'prod', "changing one's mind on the start screen loses nothing");
		const kubeVip = stateAt('start', exampleAnswers('kube-vip'), {opened: true});
		const edited = run(kubeVip, {type: 'select', value: 'new'}, {type: 'back'}, {type: 'select', value: 'edit'});
		assert.deepEqual(edited.answers, {...exampleAnswers('kube-vip'), intent: 'edit'}, 'the topology too');
	});

	test('a disabled option cannot be chosen (adding a node, or apply without a runner)', () => {
		const opened = stateAt('start', exampleAnswers('three-control-planes'), {opened: true});
		assert.equal(run(opened, {type: 'select', value: 'add-node'}), opened);
		const confirm = stateAt('confirm', exampleAnswers('three-control-planes'));
		assert.equal(run(confirm, {type: 'select', value: 'apply'}).outcome, undefined);
		const runner = stateAt('confirm', exampleAnswers('three-control-planes'), {environment: {canApply: true}});
		assert.deepEqual(run(runner, {type: 'select', value: 'apply'}).outcome, {action: 'apply'});
	});

	test('quit ends with the answers as they are', () => {
		assert.deepEqual(run(stateAt('vip', exampleAnswers('kube-vip')), {type: 'quit'}).outcome, {action: 'quit'});
	});

	test('progress lists the steps done, the current one and those still to ask', () => {
		const state = stateAt('vip', exampleAnswers('three-control-planes'));
		assert.deepEqual(
			progress(state).map(({step, status}) => `${step.id}:${status}`),
			[
				'topology:done',
				'nodes:done',
				'vip:current',
				'ports:upcoming',
				'kubernetes:upcoming',
				'ssh:upcoming',
				'review:upcoming',
				'confirm:upcoming',
			],
		);
	});
});

describe('the nodes table', () => {
	test('a pasted range fills the node and the ones after it, adding nodes past the end', () => {
		const state = stateAt('nodes', exampleAnswers('kube-vip'));
		const filled = run(
			state,
			{type: 'edit-node', index: 2, field: 'address', text: '172.16.10.50-53'},
			{type: 'expand-addresses', index: 2},
		);
		assert.deepEqual(
			filled.answers.spec.nodes.map((node) => `${node.name} ${node.address}`),
			[
				'cp1 172.16.10.11',
				'cp2 172.16.10.12',
				'cp3 172.16.10.50',
				'worker1 172.16.10.51',
				'worker2 172.16.10.52',
				'worker3 172.16.10.53',
			],
		);
	});

	test('roles are typed as names or short forms; anything else is refused with the list of roles', () => {
		const state = stateAt('nodes', exampleAnswers('kube-vip'));
		const edited = run(state, {type: 'edit-node', index: 3, field: 'roles', text: 'cp, lb'});
		assert.deepEqual(edited.answers.spec.nodes[3]?.roles, ['control-plane', 'load-balancer']);
		const wrong = run(state, {type: 'edit-node', index: 3, field: 'roles', text: 'master'});
		assert.match(
			wrong.invalid['nodes[3].roles']?.error ?? '',
			/"master" is not a role; the roles are control-plane \(cp\)/,
		);
	});

	test('removing a node, and adding one with a free name', () => {
		const state = stateAt('nodes', exampleAnswers('kube-vip'));
		const changed = run(state, {type: 'remove-node', index: 0}, {type: 'add-node'});
		assert.deepEqual(
			changed.answers.spec.nodes.map((node) => node.name),
			['cp2', 'cp3', 'worker1', 'worker2'],
		);
	});
});
