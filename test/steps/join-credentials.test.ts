import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {describe, it} from 'node:test';
import {joinCredentials} from '../../steps/join-credentials.ts';
import {planChecks} from '../../steps/scripts/plan.ts';
import {stepHarness} from './step-harness.ts';

/** `kubectl get nodes` as kubectl prints it, from name → STATUS. */
const nodesTable = (nodes: Readonly<Record<string, string>>) =>
	[
		'NAME      STATUS   ROLES           AGE   VERSION',
		...Object.entries(nodes).map(([name, status]) => `${name}   ${status}   <none>   3d   v1.37.1`),
	].join('\n');

/** The join-credentials checks on cp1 of the three-control-planes example, with kubectl printing `table`. */
function checksWith(table: string | undefined) {
	const {spec, view} = stepHarness();
	const plan = joinCredentials.plan(view('cp1'), 'apt');
	assert.equal(spec.nodes.length, 5);
	const kubectl =
		table === undefined
			? 'kubectl() { echo "The connection to the server was refused" >&2; return 1; }'
			: `kubectl() { printf '%s\\n' '${table}'; }`;
	return planChecks(plan).map((check) => ({
		what: check.what,
		inPlace: spawnSync('bash', ['-c', `set -euo pipefail\n${kubectl}\n(\n${check.check}\n)`]).status === 0,
	}));
}

const allReady = {cp1: 'Ready', cp2: 'Ready', cp3: 'Ready', worker1: 'Ready', worker2: 'Ready'};

describe('join credentials', () => {
	it('are left alone once every other node is a Ready node, also a cordoned one', () => {
		const checks = checksWith(nodesTable({...allReady, cp2: 'Ready,SchedulingDisabled'}));
		assert.deepEqual(
			checks.map((check) => check.inPlace),
			[true, true],
		);
		assert.match(checks[0]?.what ?? '', /^a fresh bootstrap token \(24 h\) for any of cp2, cp3, worker1, worker2 not/);
		assert.match(checks[1]?.what ?? '', /^freshly uploaded shared certificates \(2 h\) for any of cp2, cp3 not/);
	});

	it('renew the token for a worker that is new or reset (NotReady), and the certificates for a control plane', () => {
		assert.deepEqual(
			checksWith(nodesTable({...allReady, worker2: 'NotReady'})).map((check) => check.inPlace),
			[false, true],
		);
		const {worker2: _, ...withoutWorker2} = allReady;
		assert.deepEqual(
			checksWith(nodesTable(withoutWorker2)).map((check) => check.inPlace),
			[false, true],
		);
		assert.deepEqual(
			checksWith(nodesTable({...allReady, cp3: 'NotReady,SchedulingDisabled'})).map((check) => check.inPlace),
			[false, false],
		);
		assert.deepEqual(
			checksWith(nodesTable({...allReady, cp3: 'Unknown'})).map((check) => check.inPlace),
			[false, false],
		);
	});

	it('tell node names apart that only share a beginning', () => {
		const {worker2: _, ...withoutWorker2} = allReady;
		assert.deepEqual(
			checksWith(nodesTable({...withoutWorker2, worker20: 'Ready'})).map((check) => check.inPlace),
			[false, true],
		);
	});

	it('are renewed when the cluster does not answer (the renewal then says why it fails)', () => {
		assert.deepEqual(
			checksWith(undefined).map((check) => check.inPlace),
			[false, false],
		);
	});
});
