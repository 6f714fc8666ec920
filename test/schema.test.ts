import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {clusterJsonSchema} from '../source/commands/schema.ts';

type JsonSchema = {
	additionalProperties?: boolean;
	properties?: Record<string, JsonSchema>;
	items?: JsonSchema;
	enum?: unknown[];
};

test('schema/cluster.schema.json is the schema of the current spec (npm run schema rewrites it)', () => {
	const committed: unknown = JSON.parse(readFileSync('schema/cluster.schema.json', 'utf8'));
	assert.deepEqual(committed, clusterJsonSchema());
});

test('the schema refuses unknown fields and knows the enumerations', () => {
	const schema = clusterJsonSchema() as JsonSchema;
	assert.equal(schema.additionalProperties, false);
	assert.deepEqual(schema.properties?.['loadBalancer']?.properties?.['mode']?.enum, [
		'keepalived-haproxy',
		'kube-vip',
		'external',
	]);
	assert.equal(schema.properties?.['nodes']?.items?.additionalProperties, false);
});
