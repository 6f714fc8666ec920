import assert from 'node:assert/strict';
import {readdirSync} from 'node:fs';
import {describe, test} from 'node:test';
import {parse} from 'yaml';
import {loadSpec} from '../../source/spec/load.ts';
import {clusterSchema} from '../../source/spec/schema.ts';
import {defaultHeader, leadingComment, minimalSpec, specToYaml} from '../../source/wizard/serialize.ts';
import {exampleSpec, exampleText, expectedThreeControlPlanes} from './helpers.ts';

const examples = readdirSync(new URL('../../examples', import.meta.url)).map((file) => file.replace(/\.yaml$/, ''));

describe('specToYaml', () => {
	for (const name of examples) {
		test(`examples/${name}.yaml means the same after a round trip`, () => {
			const saved = specToYaml(exampleSpec(name));
			assert.deepEqual(loadSpec(saved).spec, loadSpec(exampleText(name)).spec);
		});
	}

	test('writes only what differs from what kubeha derives, and always the Kubernetes version', () => {
		assert.equal(specToYaml(exampleSpec('three-control-planes')), expectedThreeControlPlanes());
		const {kubernetes, etcd} = minimalSpec(exampleSpec('three-control-planes'));
		assert.deepEqual(kubernetes, {version: '1.37.1'});
		assert.equal(etcd, undefined);
	});

	test('keeps a value the operator set that differs from the derived one', () => {
		const spec = exampleSpec('three-control-planes');
		const changed = {...spec, loadBalancer: {...spec.loadBalancer, port: 9443, virtualRouterId: 7}};
		const saved = parse(specToYaml(changed)) as {loadBalancer: {port?: number; virtualRouterId?: number}};
		assert.equal(saved.loadBalancer.port, 9443);
		assert.equal(saved.loadBalancer.virtualRouterId, 7);
	});

	test("keeps the comment the file opened with, else writes kubeha's own", () => {
		const text = exampleText('kube-vip');
		assert.ok(specToYaml(exampleSpec('kube-vip'), text).startsWith(leadingComment(text)));
		assert.match(leadingComment(text), /^# yaml-language-server/);
		assert.ok(specToYaml(exampleSpec('kube-vip')).startsWith(defaultHeader));
	});

	test('a draft in progress (nodes without addresses) is saved as it is', () => {
		const spec = clusterSchema.parse({
			apiVersion: 'kubeha/v1alpha1',
			kind: 'Cluster',
			name: '',
			nodes: [{name: 'cp1', address: '', roles: ['control-plane']}],
		});
		assert.deepEqual(parse(specToYaml(spec)).nodes, [{name: 'cp1', address: '', roles: ['control-plane']}]);
	});
});
