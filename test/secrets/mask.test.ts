import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {etcdFiles} from '../../source/render/etcd.ts';
import {kubeadmFiles} from '../../source/render/kubeadm.ts';
import {generateSecrets} from '../../source/secrets/generate.ts';
import {isSecretPlaceholder, maskSecrets} from '../../source/secrets/mask.ts';
import type {KeyPair, Secrets} from '../../source/secrets/types.ts';
import {specOf} from '../helpers/spec.ts';
import {contextFor} from '../render/fixtures.ts';

const pairsOf = (secrets: Secrets): KeyPair[] => [
	secrets.clusterCa,
	...(secrets.etcd
		? [
				secrets.etcd.ca,
				secrets.etcd.apiserverClient,
				secrets.etcd.healthcheckClient,
				...Object.values(secrets.etcd.members).flatMap((member) => [member.server, member.peer]),
			]
		: []),
];

/** Every value that must never be shown: passwords, tokens, keys. */
const privateValues = (secrets: Secrets): string[] => [
	secrets.vrrpAuthPass,
	secrets.bootstrapToken,
	secrets.certificateKey,
	...pairsOf(secrets).map((pair) => pair.key),
];

describe('maskSecrets', async () => {
	const spec = specOf(undefined, 'external-etcd');
	const secrets = await generateSecrets(spec);
	const masked = maskSecrets(secrets);

	test('leaves no private value, each replaced by a recognisable placeholder', () => {
		const text = JSON.stringify(masked);
		for (const value of privateValues(secrets)) {
			assert.ok(!text.includes(value));
		}

		for (const value of privateValues(masked)) {
			assert.ok(isSecretPlaceholder(value), value);
		}

		assert.equal(masked.vrrpAuthPass, '<secret:vrrp-auth-pass>');
		const {etcd1} = masked.etcd?.members ?? {};
		assert.equal(etcd1?.server.key, '<secret:etcd-etcd1-server-key>');
	});

	test('keeps every certificate and the shape', async () => {
		assert.deepEqual(
			pairsOf(masked).map((pair) => pair.cert),
			pairsOf(secrets).map((pair) => pair.cert),
		);
		assert.deepEqual(Object.keys(masked.etcd?.members ?? {}), Object.keys(secrets.etcd?.members ?? {}));
		assert.equal(maskSecrets(await generateSecrets(specOf(undefined, 'kube-vip'))).etcd, undefined);
	});

	test('is deterministic: other secrets of the same cluster mask to the same private placeholders', async () => {
		const other = maskSecrets(await generateSecrets(spec));
		assert.deepEqual(privateValues(other), privateValues(masked));
		assert.deepEqual(maskSecrets(secrets), masked);
	});

	test('files rendered from masked secrets leak nothing', async () => {
		const context = await contextFor(spec, masked);
		const contents = spec.nodes.flatMap((node) =>
			[...kubeadmFiles(context, node), ...etcdFiles(context, node)].map((file) => file.content),
		);
		assert.ok(contents.length > 0);
		for (const value of privateValues(secrets)) {
			assert.ok(!contents.some((content) => content.includes(value)));
		}
	});
});
