import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {redactor} from '../../source/runner/redact.ts';
import type {KeyPair, Secrets} from '../../source/secrets/types.ts';

const pem = (label: string, seed: string) =>
	[
		`-----BEGIN ${label}-----`,
		seed.repeat(64).slice(0, 64),
		seed.repeat(64).slice(1, 65),
		'AB==',
		`-----END ${label}-----`,
		'',
	].join('\n');
const pair = (seed: string): KeyPair => ({cert: pem('CERTIFICATE', `C${seed}`), key: pem('PRIVATE KEY', `K${seed}`)});

const secrets: Secrets = {
	vrrpAuthPass: 'Tq7vXe2k',
	bootstrapToken: 'k8ha0a.0123456789abcdef',
	certificateKey: 'c0ffee00'.repeat(8),
	clusterCa: pair('ca'),
	etcd: {
		ca: pair('etcdca'),
		members: {e1: {server: pair('e1s'), peer: pair('e1p')}},
		apiserverClient: pair('api'),
		healthcheckClient: pair('health'),
	},
};
const redact = redactor(secrets);

describe('redactor', () => {
	it('replaces passwords, tokens and keys wherever they appear', () => {
		assert.equal(
			redact(
				`auth_pass Tq7vXe2k; kubeadm join --token k8ha0a.0123456789abcdef --certificate-key ${secrets.certificateKey}`,
			),
			'auth_pass <redacted>; kubeadm join --token <redacted> --certificate-key <redacted>',
		);
	});

	it("replaces the token's secret half on its own, not its public id", () => {
		assert.equal(redact('token-id k8ha0a, token-secret 0123456789abcdef'), 'token-id k8ha0a, token-secret <redacted>');
	});

	it('replaces a whole private key as one, and each of its lines when output comes line by line', () => {
		const key = secrets.etcd?.members['e1']?.peer.key ?? '';
		assert.equal(redact(`key: ${key}`), 'key: <redacted>');
		const [, firstLine] = key.split('\n');
		assert.equal(redact(`${firstLine}`), '<redacted>');
		assert.equal(redact('-----BEGIN PRIVATE KEY-----'), '-----BEGIN PRIVATE KEY-----');
	});

	it('leaves certificates, which are public, and ordinary text alone', () => {
		const text = `${secrets.clusterCa.cert}\nall good, AB== is not a secret on its own`;
		assert.equal(redact(text), text);
	});
});
