import assert from 'node:assert/strict';
import {test} from 'node:test';
import {defaultPriorities, virtualRouterIdFor} from '../../source/spec/defaults.ts';

test('default priorities descend by 10 to 100 in list order', () => {
	assert.deepEqual(defaultPriorities(3), [120, 110, 100]);
});

test('default priorities skip the ones written by hand', () => {
	assert.deepEqual(defaultPriorities(2, new Set([110])), [120, 100]);
});

test('past 16 nodes default priorities are 1 apart and stay below 255', () => {
	const priorities = defaultPriorities(40);
	assert.equal(priorities[0], 139);
	assert.equal(priorities.at(-1), 100);
});

test('the VRRP id comes from the cluster name, is stable, and is never 51', () => {
	assert.equal(virtualRouterIdFor('prod'), virtualRouterIdFor('prod'));
	assert.notEqual(virtualRouterIdFor('prod'), virtualRouterIdFor('staging'));
	for (let index = 0; index < 2000; index++) {
		const id = virtualRouterIdFor(`cluster-${index}`);
		assert.ok(id >= 1 && id <= 255 && id !== 51, `cluster-${index} → ${id}`);
	}
});
