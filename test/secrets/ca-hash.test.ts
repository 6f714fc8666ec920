import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {caCertHash} from '../../source/secrets/ca-hash.ts';
import {generateSecrets} from '../../source/secrets/generate.ts';
import {specOf} from '../helpers/spec.ts';
import {opensslAvailable, opensslCaCertHash} from '../render/fixtures.ts';

describe('caCertHash', async () => {
	const {clusterCa, etcd} = await generateSecrets(specOf(undefined, 'external-etcd'));
	assert.ok(etcd);

	test('is sha256: and 64 hex digits, the same for the same certificate', () => {
		assert.match(caCertHash(clusterCa.cert), /^sha256:[\da-f]{64}$/);
		assert.equal(caCertHash(clusterCa.cert), caCertHash(clusterCa.cert));
		assert.notEqual(caCertHash(clusterCa.cert), caCertHash(etcd.ca.cert));
	});

	test('matches the openssl pipeline kubeadm documents', {
		skip: opensslAvailable ? false : 'openssl is not installed: apt-get install -y openssl',
	}, () => {
		for (const pem of [clusterCa.cert, etcd.ca.cert]) {
			assert.equal(caCertHash(pem), opensslCaCertHash(pem));
		}
	});

	test('refuses what is not a certificate', () => {
		assert.throws(() => caCertHash(clusterCa.key));
	});
});
