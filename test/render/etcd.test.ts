import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {
	apiserverEtcdClientPaths,
	etcdCaCertPath,
	etcdEnvironmentPath,
	etcdFiles,
	etcdMemberPaths,
	etcdUnitPath,
} from '../../source/render/etcd.ts';
import type {RenderedFile} from '../../source/render/types.ts';
import type {EtcdPki} from '../../source/secrets/types.ts';
import {etcdMembers, hasRole} from '../../source/spec/cluster.ts';
import {exampleNames, nodeNamed, specOf} from '../helpers/spec.ts';
import {contextFor, parseEnvironmentFile, renderEach} from './fixtures.ts';

const fileAt = (files: readonly RenderedFile[] | undefined, path: string): RenderedFile => {
	const file = files?.find((candidate) => candidate.path === path);
	assert.ok(file, `${path} is missing`);
	return file;
};

describe('etcd files', async () => {
	const spec = specOf(undefined, 'external-etcd');
	const context = await contextFor(spec);
	const files = renderEach(context, etcdFiles);
	const pki = context.secrets.etcd;
	assert.ok(pki);

	test('stacked examples have none', async () => {
		for (const example of exampleNames.filter((name) => specOf(undefined, name).etcd.topology === 'stacked')) {
			const stacked = await contextFor(specOf(undefined, example), context.secrets);
			assert.deepEqual([...renderEach(stacked, etcdFiles).values()].flat(), [], example);
		}
	});

	test('etcd nodes get their unit, environment and certificates; control planes the client pair; others nothing', () => {
		for (const node of spec.nodes) {
			const paths = (files.get(node.name) ?? []).map((file) => file.path).sort();
			const expected = hasRole(node, 'etcd')
				? [
						etcdEnvironmentPath,
						etcdUnitPath,
						etcdCaCertPath,
						...Object.values(etcdMemberPaths).flatMap((pair) => [pair.cert, pair.key]),
					]
				: hasRole(node, 'control-plane')
					? [etcdCaCertPath, apiserverEtcdClientPaths.cert, apiserverEtcdClientPaths.key]
					: [];
			assert.deepEqual(paths, expected.sort(), node.name);
		}
	});

	test('each file holds the right certificate or key; keys are 0600 secrets, the rest 0644', () => {
		for (const node of etcdMembers(spec)) {
			const member: EtcdPki['members'][string] | undefined = pki.members[node.name];
			assert.ok(member);
			const nodeFiles = files.get(node.name);
			assert.equal(fileAt(nodeFiles, etcdMemberPaths.server.cert).content, member.server.cert);
			assert.equal(fileAt(nodeFiles, etcdMemberPaths.server.key).content, member.server.key);
			assert.equal(fileAt(nodeFiles, etcdMemberPaths.peer.cert).content, member.peer.cert);
			assert.equal(fileAt(nodeFiles, etcdMemberPaths.peer.key).content, member.peer.key);
			assert.equal(fileAt(nodeFiles, etcdMemberPaths.healthcheckClient.key).content, pki.healthcheckClient.key);
			assert.equal(fileAt(nodeFiles, etcdCaCertPath).content, pki.ca.cert);
		}

		assert.equal(fileAt(files.get('cp2'), apiserverEtcdClientPaths.key).content, pki.apiserverClient.key);
		for (const file of [...files.values()].flat()) {
			const isKey = file.path.endsWith('.key');
			assert.equal(file.mode, isKey ? 0o600 : 0o644, file.path);
			assert.equal(file.secret, isKey, file.path);
		}

		assert.ok(
			![...files.values()].flat().some((file) => file.content.includes(pki.ca.key)),
			'the etcd CA key left the secrets',
		);
	});

	test('the environment file: https URLs on the node address, one initial cluster, TLS both ways', () => {
		const members = etcdMembers(spec);
		const initialCluster = members.map((node) => `${node.name}=https://${node.address}:2380`).join(',');
		for (const node of members) {
			const environment = parseEnvironmentFile(fileAt(files.get(node.name), etcdEnvironmentPath).content);
			assert.deepEqual(environment, {
				ETCD_NAME: node.name,
				ETCD_DATA_DIR: '/var/lib/etcd',
				ETCD_LISTEN_PEER_URLS: `https://${node.address}:2380`,
				ETCD_LISTEN_CLIENT_URLS: `https://${node.address}:2379`,
				ETCD_INITIAL_ADVERTISE_PEER_URLS: `https://${node.address}:2380`,
				ETCD_ADVERTISE_CLIENT_URLS: `https://${node.address}:2379`,
				ETCD_INITIAL_CLUSTER: initialCluster,
				ETCD_INITIAL_CLUSTER_STATE: 'new',
				ETCD_INITIAL_CLUSTER_TOKEN: `${spec.name}-etcd`,
				ETCD_CLIENT_CERT_AUTH: 'true',
				ETCD_TRUSTED_CA_FILE: etcdCaCertPath,
				ETCD_CERT_FILE: etcdMemberPaths.server.cert,
				ETCD_KEY_FILE: etcdMemberPaths.server.key,
				ETCD_PEER_CLIENT_CERT_AUTH: 'true',
				ETCD_PEER_TRUSTED_CA_FILE: etcdCaCertPath,
				ETCD_PEER_CERT_FILE: etcdMemberPaths.peer.cert,
				ETCD_PEER_KEY_FILE: etcdMemberPaths.peer.key,
			});
		}
	});

	test('the unit takes every setting from the environment file and passes no flag', () => {
		for (const node of etcdMembers(spec)) {
			const unit = fileAt(files.get(node.name), etcdUnitPath).content.split('\n');
			assert.ok(unit.includes(`EnvironmentFile=${etcdEnvironmentPath}`));
			assert.deepEqual(
				unit.filter((line) => line.startsWith('ExecStart=')),
				['ExecStart=/usr/bin/etcd'],
			);
			assert.ok(!unit.some((line) => line.startsWith('Environment=')), 'Environment= would shadow the file');
		}
	});

	test('a node that is control plane and etcd member gets the CA certificate once', async () => {
		const both = specOf((draft) => {
			nodeNamed(draft, 'cp1').roles.push('etcd');
		}, 'external-etcd');
		const cp1 = both.nodes.find((node) => node.name === 'cp1');
		assert.ok(cp1);
		const paths = etcdFiles(await contextFor(both), cp1).map((file) => file.path);
		assert.deepEqual(paths, [...new Set(paths)]);
		assert.ok(paths.includes(apiserverEtcdClientPaths.cert) && paths.includes(etcdMemberPaths.server.cert));
	});

	test('missing member certificates are named, not rendered empty', () => {
		const {etcd1: _dropped, ...others} = pki.members;
		const withoutEtcd1 = {...context, secrets: {...context.secrets, etcd: {...pki, members: others}}};
		const etcd1 = spec.nodes.find((node) => node.name === 'etcd1');
		assert.ok(etcd1);
		assert.throws(() => etcdFiles(withoutEtcd1, etcd1), /no etcd certificates for etcd1/);
	});
});
