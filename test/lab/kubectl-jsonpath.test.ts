// The kubectl stand-in's JSONPath subset, as kubeha's steps use it (no lab needed).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {jsonpath} from './stand-ins/lib/kubectl-jsonpath.ts';

const list = {items: [{metadata: {name: 'lab-h1'}}, {metadata: {name: 'lab-h2'}}, {metadata: {}}]};

test('a list expression prints the values joined by spaces, without a newline, skipping missing fields', () => {
	assert.equal(jsonpath('{.items[*].metadata.name}', list), 'lab-h1 lab-h2');
	assert.equal(jsonpath('{.items[*].metadata.name}', {items: []}), '');
});

test('a single field prints its value; objects print as JSON', () => {
	assert.equal(jsonpath('{.metadata.name}', {metadata: {name: 'lab-h1'}}), 'lab-h1');
	assert.equal(jsonpath('{.metadata}', {metadata: {name: 'x'}}), '{"name":"x"}');
});

test('templates outside the subset are refused as not modelled', () => {
	assert.throws(
		() => jsonpath('{range .items[*]}{.metadata.name}{end}', list),
		/not modelled|modelled: \{\.a\.b\[\*\]\.c\}/,
	);
	assert.throws(() => jsonpath('{.items[0].metadata.name}', list), /modelled/);
});
