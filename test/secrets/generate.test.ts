import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {createPrivateKey, X509Certificate} from 'node:crypto';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, describe, test} from 'node:test';
import {generateSecrets} from '../../source/secrets/generate.ts';
import type {KeyPair, Secrets} from '../../source/secrets/types.ts';
import {loadX509} from '../../source/secrets/x509.ts';
import {addNode, specOf} from '../helpers/spec.ts';
import {opensslAvailable} from '../render/fixtures.ts';

const x509 = await loadX509();
const day = 24 * 60 * 60 * 1000;

/** What a certificate says, read with a second X.509 implementation (node's) where it can, @peculiar/x509 for the rest. */
function inspect(pem: string) {
	const cert = new X509Certificate(pem);
	const parsed = new x509.X509Certificate(pem);
	const keyUsage = parsed.getExtension(x509.KeyUsagesExtension)?.usages ?? 0;
	return {
		subject: cert.subject,
		ca: cert.ca,
		keyUsage,
		extendedKeyUsage: [...(cert.keyUsage ?? [])].sort(),
		subjectAltName: cert.subjectAltName?.split(', ').sort() ?? [],
		lifetimeDays: Math.round((Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / day),
		serialNumber: cert.serialNumber,
		bits: cert.publicKey.asymmetricKeyDetails?.modulusLength,
	};
}

const usage = x509.KeyUsageFlags;
const serverAuth = '1.3.6.1.5.5.7.3.1';
const clientAuth = '1.3.6.1.5.5.7.3.2';

describe('generateSecrets', async () => {
	const stackedSpec = specOf();
	const externalSpec = specOf(undefined, 'external-etcd');
	const [stacked, external] = await Promise.all([generateSecrets(stackedSpec), generateSecrets(externalSpec)]);
	const etcd = external.etcd;
	assert.ok(etcd);

	test('formats: an 8-character alphanumeric VRRP password, a kubeadm token, a 32-byte hex key', () => {
		assert.match(stacked.vrrpAuthPass, /^[A-Za-z\d]{8}$/);
		assert.match(stacked.bootstrapToken, /^[a-z\d]{6}\.[a-z\d]{16}$/);
		assert.match(stacked.certificateKey, /^[\da-f]{64}$/);
	});

	test('values are random: two clusters share none', () => {
		for (const field of ['vrrpAuthPass', 'bootstrapToken', 'certificateKey'] as const) {
			assert.notEqual(stacked[field], external[field], field);
		}

		assert.notEqual(stacked.clusterCa.key, external.clusterCa.key);
	});

	test('stacked etcd needs no etcd PKI', () => {
		assert.equal(stacked.etcd, undefined);
	});

	test('the cluster CA is one kubeadm takes as ca.crt/ca.key', () => {
		const ca = inspect(stacked.clusterCa.cert);
		assert.equal(ca.subject, 'CN=kubernetes');
		assert.equal(ca.ca, true);
		assert.equal(ca.keyUsage, usage.keyCertSign | usage.digitalSignature | usage.keyEncipherment);
		assert.equal(ca.bits, 2048);
		assert.equal(ca.lifetimeDays, 3650);
		assert.ok(new X509Certificate(stacked.clusterCa.cert).checkPrivateKey(createPrivateKey(stacked.clusterCa.key)));
		assert.match(stacked.clusterCa.key, /^-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+\n-----END RSA PRIVATE KEY-----\n$/);
		assert.match(stacked.clusterCa.cert, /^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n$/);
	});

	test('etcd: a CA, server and peer certificates per member, and the two clients, as kubeadm makes them', () => {
		assert.equal(inspect(etcd.ca.cert).subject, 'CN=etcd-ca');
		assert.equal(inspect(etcd.ca.cert).ca, true);
		assert.deepEqual(Object.keys(etcd.members).sort(), ['etcd1', 'etcd2', 'etcd3']);
		for (const node of externalSpec.nodes.filter((candidate) => candidate.roles.includes('etcd'))) {
			for (const pair of [etcd.members[node.name]?.server, etcd.members[node.name]?.peer]) {
				assert.ok(pair);
				const cert = inspect(pair.cert);
				assert.equal(cert.subject, `CN=${node.name}`);
				assert.equal(cert.ca, false);
				assert.equal(cert.keyUsage, usage.digitalSignature | usage.keyEncipherment);
				assert.deepEqual(cert.extendedKeyUsage, [serverAuth, clientAuth]);
				assert.deepEqual(
					cert.subjectAltName,
					[
						`DNS:${node.name}`,
						'DNS:localhost',
						`IP Address:${node.address}`,
						'IP Address:127.0.0.1',
						'IP Address:0:0:0:0:0:0:0:1',
					].sort(),
				);
				assert.equal(cert.lifetimeDays, 365);
			}
		}

		for (const [pair, name] of [
			[etcd.apiserverClient, 'kube-apiserver-etcd-client'],
			[etcd.healthcheckClient, 'kube-etcd-healthcheck-client'],
		] as const) {
			const cert = inspect(pair.cert);
			assert.equal(cert.subject, `CN=${name}`);
			assert.deepEqual(cert.extendedKeyUsage, [clientAuth]);
			assert.deepEqual(cert.subjectAltName, []);
		}
	});

	test('every certificate fits its key, and serial numbers are positive minimal DER (Go refuses others)', () => {
		const pairs: KeyPair[] = [
			external.clusterCa,
			etcd.ca,
			etcd.apiserverClient,
			etcd.healthcheckClient,
			...Object.values(etcd.members).flatMap((member) => [member.server, member.peer]),
		];
		for (const pair of pairs) {
			assert.ok(new X509Certificate(pair.cert).checkPrivateKey(createPrivateKey(pair.key)));
			const firstByte = Number.parseInt(inspect(pair.cert).serialNumber.slice(0, 2), 16);
			assert.ok(firstByte > 0 && firstByte < 0x80, inspect(pair.cert).serialNumber);
		}
	});

	describe('chains, as openssl sees them', {
		skip: opensslAvailable ? false : 'openssl is not installed: apt-get install -y openssl',
	}, () => {
		const directory = mkdtempSync(join(tmpdir(), 'kubeha-pki-'));
		after(() => {
			rmSync(directory, {recursive: true, force: true});
		});
		const verify = (ca: string, leaf: string, purpose: string): string => {
			writeFileSync(join(directory, 'ca.crt'), ca);
			writeFileSync(join(directory, 'leaf.crt'), leaf);
			const result = spawnSync('openssl', ['verify', '-purpose', purpose, '-CAfile', 'ca.crt', 'leaf.crt'], {
				cwd: directory,
				encoding: 'utf8',
			});
			return `${result.stdout}${result.stderr}`.trim();
		};

		test('members verify as TLS servers and clients, the clients as clients, all under the etcd CA', () => {
			for (const member of Object.values(etcd.members)) {
				for (const pair of [member.server, member.peer]) {
					assert.equal(verify(etcd.ca.cert, pair.cert, 'sslserver'), 'leaf.crt: OK');
					assert.equal(verify(etcd.ca.cert, pair.cert, 'sslclient'), 'leaf.crt: OK');
				}
			}

			assert.equal(verify(etcd.ca.cert, etcd.apiserverClient.cert, 'sslclient'), 'leaf.crt: OK');
			assert.notEqual(verify(etcd.ca.cert, etcd.apiserverClient.cert, 'sslserver'), 'leaf.crt: OK');
			assert.notEqual(verify(external.clusterCa.cert, etcd.healthcheckClient.cert, 'sslclient'), 'leaf.crt: OK');
		});
	});

	test('keeps every existing value: a second run changes nothing', async () => {
		assert.deepEqual(await generateSecrets(stackedSpec, stacked), stacked);
		assert.deepEqual(await generateSecrets(externalSpec, external), external);
	});

	test('an added etcd node gets its own certificates, signed by the same CA; nothing else changes', async () => {
		const grown = await generateSecrets(
			specOf((draft) => {
				addNode(draft, {name: 'etcd4', address: '10.20.0.34', roles: ['etcd']});
			}, 'external-etcd'),
			external,
		);
		const {etcd4, ...before} = grown.etcd?.members ?? {};
		assert.ok(etcd4);
		assert.deepEqual({...grown, etcd: {...grown.etcd, members: before}}, external);
		assert.deepEqual(inspect(etcd4.server.cert).subjectAltName.includes('IP Address:10.20.0.34'), true);
		const ca = new X509Certificate(etcd.ca.cert);
		assert.ok(new X509Certificate(etcd4.server.cert).verify(ca.publicKey));
		assert.ok(new X509Certificate(etcd4.peer.cert).verify(ca.publicKey));
	});

	test('fills exactly the gaps: a removed member is issued again, the rest kept', async () => {
		const {etcd2: removed, ...kept} = etcd.members;
		const {etcd1: keptEtcd1} = kept;
		const partial: Secrets = {...external, etcd: {...etcd, members: kept}};
		const filled = await generateSecrets(externalSpec, partial);
		const {etcd1, etcd2} = filled.etcd?.members ?? {};
		assert.deepEqual(etcd1, keptEtcd1);
		assert.ok(etcd2);
		assert.notDeepEqual(etcd2, removed);
	});

	test('a member at another address gets new certificates that name it; the others are kept', async () => {
		const moved = await generateSecrets(
			specOf((draft) => {
				const member = draft.nodes.find((node) => node.name === 'etcd2');
				assert.ok(member);
				member.address = '10.20.0.42';
			}, 'external-etcd'),
			external,
		);
		const {etcd1, etcd2} = moved.etcd?.members ?? {};
		assert.deepEqual(etcd1, etcd.members['etcd1']);
		assert.ok(etcd2);
		for (const pair of [etcd2.server, etcd2.peer]) {
			assert.ok(inspect(pair.cert).subjectAltName.includes('IP Address:10.20.0.42'));
		}
	});

	test('switching to external etcd later adds the etcd PKI and keeps the rest', async () => {
		const switched = await generateSecrets(externalSpec, stacked);
		const {etcd: added, ...rest} = switched;
		assert.deepEqual(rest, stacked);
		assert.deepEqual(Object.keys(added?.members ?? {}).sort(), ['etcd1', 'etcd2', 'etcd3']);
	});
});
