import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {parseVersion, skewProblems, upgradeVerdict, type Version} from '../../source/upgrade/version-policy.ts';

const v = (text: string): Version => {
	const version = parseVersion(text);
	assert.ok(version, text);
	return version;
};

describe('the upgrade version policy', () => {
	test('versions as kubeadm and the spec write them', () => {
		assert.deepEqual(parseVersion('v1.37.2'), {major: 1, minor: 37, patch: 2});
		assert.deepEqual(parseVersion('1.36.0'), {major: 1, minor: 36, patch: 0});
		assert.equal(parseVersion('1.37'), undefined);
		assert.equal(parseVersion('1.37.0-rc.1'), undefined);
	});

	test('a patch release and the next minor are upgrades; the same version is nothing to do', () => {
		assert.deepEqual(upgradeVerdict(v('1.36.4'), v('1.36.6')), {kind: 'patch', to: v('1.36.6')});
		assert.deepEqual(upgradeVerdict(v('1.36.4'), v('1.37.2')), {kind: 'minor', to: v('1.37.2')});
		assert.deepEqual(upgradeVerdict(v('1.37.2'), v('1.37.2')), {kind: 'none'});
	});

	test('a jump over minors is refused with the upgrades to run, one minor each', () => {
		assert.deepEqual(upgradeVerdict(v('1.35.3'), v('1.38.1')), {
			kind: 'refused',
			reason: '1.35.3 → 1.38.1 skips 2 minor releases: kubeadm upgrades one minor at a time',
			steps: [
				'kubeha upgrade --to 1.36.x (its latest patch)',
				'kubeha upgrade --to 1.37.x (its latest patch)',
				'kubeha upgrade --to 1.38.1',
			],
		});
	});

	test('a downgrade is refused, the older patch too', () => {
		const verdict = upgradeVerdict(v('1.37.2'), v('1.37.1'));
		assert.equal(verdict.kind, 'refused');
		assert.match(verdict.kind === 'refused' ? verdict.reason : '', /kubeha does not downgrade/);
		assert.equal(upgradeVerdict(v('1.37.0'), v('1.36.9')).kind, 'refused');
	});

	test('skew: apiservers within one minor; kubelets never newer, at most three minors older', () => {
		const apiServers = [
			{node: 'cp1', version: v('1.37.2')},
			{node: 'cp2', version: v('1.36.4')},
		];
		assert.deepEqual(skewProblems(apiServers, [{node: 'w1', version: v('1.33.0')}]), []);
		assert.deepEqual(
			skewProblems(
				[...apiServers, {node: 'cp3', version: v('1.35.9')}],
				[
					{node: 'w1', version: v('1.37.0')},
					{node: 'w2', version: v('1.31.5')},
				],
			),
			[
				{node: 'cp3', what: "its apiserver runs 1.35.9, more than one minor behind cp1's 1.37.2"},
				{node: 'w1', what: 'its kubelet 1.37.0 is newer than the apiserver 1.35.9 on cp3'},
				{node: 'w2', what: 'its kubelet 1.31.5 is 4 minors older than the apiserver 1.35.9 on cp3 (at most 3)'},
			],
		);
	});
});
