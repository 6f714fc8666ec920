// The kubeadm stand-in's upload-config phase: the ConfigMap it writes from kubeha's own init configuration, which
// the product's check reads back.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {parse} from 'yaml';
import {renderCluster} from '../../source/render/index.ts';
import {kubeadmInitPath} from '../../source/render/kubeadm.ts';
import {etcdEndpoints, externalEtcdEndpoints} from '../../steps/scripts/etcd-endpoints.ts';
import {testSecrets} from '../helpers/secrets.ts';
import {specOf} from '../helpers/spec.ts';
import {templates} from '../helpers/templates.ts';
import {configMap} from './stand-ins/lib/kube-objects.ts';
import {readInitConfiguration} from './stand-ins/lib/kubeadm-config.ts';
import {kubeadmConfigMap, withClusterConfiguration} from './stand-ins/lib/kubeadm-upload-config.ts';

/** kubeha's kubeadm-init.yaml for the external-etcd example, with etcd3 gone, in a file of the test's. */
function initConfigFile() {
	const spec = specOf((draft) => {
		draft.nodes = draft.nodes.filter((node) => node.name !== 'etcd3');
	}, 'external-etcd');
	const cp1 = renderCluster(spec, testSecrets, templates).find((host) => host.node === 'cp1');
	const file = cp1?.files.find((candidate) => candidate.path === kubeadmInitPath);
	assert.ok(file);
	const path = join(mkdtempSync(join(tmpdir(), 'kubeha-upload-config-')), 'kubeadm-init.yaml');
	writeFileSync(path, file.content);
	return {spec, path};
}

describe('kubeadm init phase upload-config kubeadm', () => {
	test("stores the file's ClusterConfiguration, whose etcd members kubeha's check reads back", () => {
		const {spec, path} = initConfigFile();
		const stored = kubeadmConfigMap(readInitConfiguration(path).cluster);
		assert.equal(stored.metadata.name, 'kubeadm-config');
		assert.equal(stored.metadata.namespace, 'kube-system');
		const text = (stored['data'] as Record<string, string>)['ClusterConfiguration'] ?? '';
		assert.deepEqual(parse(text).etcd.external.endpoints, etcdEndpoints(spec));
		assert.equal(parse(text).kind, 'ClusterConfiguration');
		const read = spawnSync('awk', [externalEtcdEndpoints], {input: text, encoding: 'utf8'});
		assert.equal(read.stdout, `${etcdEndpoints(spec).join(',')}\n`);
	});

	test('sets the ClusterConfiguration of the ConfigMap there, and leaves its other keys', () => {
		const {path} = initConfigFile();
		const existing = configMap('kube-system', 'kubeadm-config', {ClusterConfiguration: 'old', ClusterStatus: 'kept'});
		const updated = withClusterConfiguration(existing, readInitConfiguration(path).cluster);
		const data = updated['data'] as Record<string, string>;
		assert.equal(data['ClusterStatus'], 'kept');
		assert.match(
			data['ClusterConfiguration'] ?? '',
			/endpoints:\n\s+- https:\/\/10\.20\.0\.31:2379\n\s+- https:\/\/10\.20\.0\.32:2379\n/,
		);
		assert.deepEqual(updated.metadata, existing.metadata);
	});
});
