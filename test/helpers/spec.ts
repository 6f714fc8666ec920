import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {parse} from 'yaml';
import type {ClusterSpec} from '../../source/spec/cluster.ts';
import {completeSpec} from '../../source/spec/defaults.ts';
import type {Finding} from '../../source/spec/finding.ts';
import {validateSpec} from '../../source/spec/rules/index.ts';
import {clusterSchema, type NodeSpec, type ParsedCluster} from '../../source/spec/schema.ts';

export const exampleNames = [
	'three-control-planes',
	'five-control-planes-unicast',
	'kube-vip',
	'external-etcd',
	'external-load-balancer',
] as const;
export type ExampleName = (typeof exampleNames)[number];

/** A parsed example (static defaults filled, derived ones not yet) that a test may change before completing it. */
export type Draft = ParsedCluster;
export type Edit = (draft: Draft) => void;

const examplesDirectory = new URL('../../examples/', import.meta.url);

export const exampleText = (name: ExampleName): string =>
	readFileSync(new URL(`${name}.yaml`, examplesDirectory), 'utf8');

/** The example as parsed by the schema: a fresh copy each time, so edits never leak between tests. */
export const draftOf = (name: ExampleName): Draft => clusterSchema.parse(parse(exampleText(name)));

/** The effective spec of an example after an edit, as the loader would build it. */
export function specOf(edit: Edit = () => undefined, example: ExampleName = 'three-control-planes'): ClusterSpec {
	const draft = draftOf(example);
	edit(draft);
	return completeSpec(draft);
}

/** What validation finds in an edited example, optionally only one rule's findings. */
export function findingsOf(rule: string | undefined, edit?: Edit, example?: ExampleName): Finding[] {
	const findings = validateSpec(specOf(edit, example));
	return rule === undefined ? findings : findings.filter((finding) => finding.rule === rule);
}

/** Asserts that `rule` finds exactly one thing in the edited example, and returns it. */
export function fires(rule: string, edit: Edit, example?: ExampleName): Finding {
	const found = findingsOf(rule, edit, example);
	assert.equal(found.length, 1, `expected one ${rule} finding, got ${JSON.stringify(found, undefined, 2)}`);
	const [finding] = found;
	assert.ok(finding);
	return finding;
}

/** Asserts that `rule` finds nothing in the edited example. */
export function silent(rule: string, edit?: Edit, example?: ExampleName): void {
	assert.deepEqual(findingsOf(rule, edit, example), [], `expected no ${rule} finding`);
}

/** The node with this name in a draft; fails the test when there is none. */
export function nodeNamed(draft: Draft, name: string): NodeSpec {
	const node = draft.nodes.find((candidate) => candidate.name === name);
	assert.ok(node, `the example has no node ${name}`);
	return node;
}

/** A node added to a draft, for tests that need one more. */
export function addNode(draft: Draft, node: NodeSpec): NodeSpec {
	draft.nodes.push(node);
	return node;
}
