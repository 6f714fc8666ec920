import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {Answers, NewNode} from '../../source/wizard/answers.ts';
import {
	addedPriority,
	additionDiff,
	additionFindings,
	nodeAddition,
	nodeToAdd,
} from '../../source/wizard/node-addition.ts';
import {exampleAnswers, exampleSpec, exampleText} from './helpers.ts';

const adding = (example: string, newNode: NewNode): Answers => ({
	...exampleAnswers(example),
	intent: 'add-node',
	newNode,
});

const additionTo = (example: string) => nodeAddition({spec: exampleSpec(example), text: exampleText(example)});

describe('nodeToAdd', () => {
	test('gives the roles of the group where the topology puts the load balancer', () => {
		const controlPlane = {name: 'cp4', address: '192.168.1.95', group: 'control-plane'} as const;
		assert.deepEqual(nodeToAdd(adding('three-control-planes', controlPlane)).roles, ['control-plane', 'load-balancer']);
		assert.deepEqual(nodeToAdd(adding('external-etcd', controlPlane)).roles, ['control-plane']);
		assert.deepEqual(nodeToAdd(adding('kube-vip', controlPlane)).roles, ['control-plane']);
	});

	test('keeps a priority on a keepalived load-balancer node only', () => {
		const node: NewNode = {name: 'n', address: '192.168.1.95', group: 'control-plane', priority: 50};
		assert.equal(nodeToAdd(adding('three-control-planes', node)).priority, 50);
		assert.equal(nodeToAdd(adding('three-control-planes', {...node, group: 'worker'})).priority, undefined);
		assert.equal(nodeToAdd(adding('kube-vip', node)).priority, undefined);
	});
});

describe('a node added to the opened file', () => {
	test('a name or address already taken is refused with the rule kubeha add-node uses', () => {
		const addition = additionTo('three-control-planes')(
			adding('three-control-planes', {name: 'cp1', address: '192.168.1.92', group: 'worker'}),
		);
		assert.deepEqual(
			additionFindings(addition).map((finding) => `${finding.rule} ${finding.path}`),
			['add-node-name-taken nodes[0].name', 'add-node-address-taken nodes[1].address'],
		);
		assert.deepEqual(additionDiff(addition), []);
	});

	test('an invalid value is named by path alone: the lines of the edited text are not on disk', () => {
		const addition = additionTo('three-control-planes')(
			adding('three-control-planes', {name: 'W_3', address: '192.168.1.103', group: 'worker'}),
		);
		const [finding] = additionFindings(addition);
		assert.equal(finding?.rule, 'node-name');
		assert.equal(finding?.path, 'nodes[5].name');
		assert.match(finding?.message ?? '', /"W_3"/);
		assert.equal(finding?.line, undefined);
	});

	test('a load-balancer node gets the priority kubeha add-node picks, below every other, and is told of it', () => {
		const addition = additionTo('three-control-planes')(
			adding('three-control-planes', {name: 'cp4', address: '192.168.1.95', group: 'control-plane'}),
		);
		assert.equal(addedPriority(addition), 90);
		assert.ok(addition.result.ok);
		assert.match(addition.result.notes.join('\n'), /cp4 gets keepalived priority 90, below every other/);
		assert.deepEqual(
			additionFindings(addition).map((finding) => `${finding.severity} ${finding.rule}`),
			['warning etcd-member-count'],
			'only the warnings the node brings: a fourth stacked etcd member',
		);
	});

	test('a priority above the VIP holder is warned of', () => {
		const addition = additionTo('three-control-planes')(
			adding('three-control-planes', {name: 'cp4', address: '192.168.1.95', group: 'control-plane', priority: 200}),
		);
		assert.equal(addedPriority(addition), 200);
		assert.ok(additionFindings(addition).some((finding) => finding.rule === 'add-node-takes-vip'));
	});

	test('the diff is of the file as written, its comments kept, with the node appended', () => {
		const addition = additionTo('three-control-planes')(
			adding('three-control-planes', {name: 'worker3', address: '192.168.1.103', group: 'worker'}),
		);
		assert.equal(addition.file, exampleText('three-control-planes'));
		assert.deepEqual(
			additionDiff(addition).filter((line) => line.kind === 'add'),
			[
				{kind: 'add', text: '  - name: worker3'},
				{kind: 'add', text: '    address: 192.168.1.103'},
				{kind: 'add', text: '    roles: [worker]'},
			],
		);
	});

	test('one result per answers object', () => {
		const addition = additionTo('kube-vip');
		const answers = adding('kube-vip', {name: 'worker2', address: '172.16.10.60', group: 'worker'});
		assert.equal(addition(answers), addition(answers));
	});
});
