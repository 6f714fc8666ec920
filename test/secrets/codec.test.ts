import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {parse, stringify} from 'yaml';
import {parseSecrets, serializeSecrets} from '../../source/secrets/codec.ts';
import {generateSecrets} from '../../source/secrets/generate.ts';
import {maskSecrets} from '../../source/secrets/mask.ts';
import type {Secrets} from '../../source/secrets/types.ts';
import {specOf} from '../helpers/spec.ts';

/** The problems of a secrets file, which must be the only outcome (no secrets alongside). */
function problemsOf(text: string): string[] {
	const {secrets, problems} = parseSecrets(text);
	assert.equal(secrets, undefined);
	assert.ok(problems.length > 0);
	return problems;
}

/** The top-level fields these tests change. */
type FileData = Partial<Record<'apiVersion' | 'vrrpAuthPass' | 'bootstrapToken' | 'certificateKey' | 'etcd', unknown>>;

/** The file's YAML with one change made to its data. */
function edited(secrets: Secrets, change: (data: FileData) => void): string {
	const data = parse(serializeSecrets(secrets)) as FileData;
	change(data);
	return stringify(data);
}

describe('secrets file', async () => {
	const spec = specOf(undefined, 'external-etcd');
	const [secrets, other, stacked] = await Promise.all([
		generateSecrets(spec),
		generateSecrets(spec),
		generateSecrets(specOf()),
	]);
	const etcd = secrets.etcd;
	assert.ok(etcd && other.etcd);
	const {etcd1: foreignEtcd1} = other.etcd.members;
	assert.ok(foreignEtcd1);

	test('round trip: parse(serialize(s)) is s, and serializing again gives the same text', () => {
		for (const value of [secrets, stacked]) {
			const text = serializeSecrets(value);
			const parsed = parseSecrets(text);
			assert.deepEqual(parsed, {secrets: value, problems: []});
			assert.equal(serializeSecrets(parsed.secrets ?? stacked), text);
		}
	});

	test('is readable: a warning header, versioned, PEM as literal blocks', () => {
		const text = serializeSecrets(secrets);
		assert.match(text, /^# kubeha secrets: .*\n# Keep this file private \(mode 0600\)/);
		assert.match(text, /\napiVersion: kubeha\/v1alpha1\nkind: Secrets\n/);
		assert.match(text, /\n {2}cert: \|\n {4}-----BEGIN CERTIFICATE-----\n/);
	});

	test('a masked copy serializes, and is named as such when read back', () => {
		const [problem, ...rest] = problemsOf(serializeSecrets(maskSecrets(secrets)));
		assert.deepEqual(rest, []);
		assert.match(
			problem ?? '',
			/masked copy.*vrrpAuthPass, bootstrapToken, certificateKey, clusterCa\.key, etcd\.ca\.key/,
		);
	});

	const cases: ReadonlyArray<{name: string; text: () => string; expected: RegExp}> = [
		{
			name: 'invalid YAML',
			text: () => 'vrrpAuthPass: [\n',
			expected: /^the file is not valid YAML: .*restore this file/,
		},
		{name: 'an empty file', text: () => '', expected: /^the file is empty; restore this file/},
		{
			name: 'an unknown field',
			text: () => edited(secrets, (data) => Object.assign(data.etcd as object, {extra: 1})),
			expected: /^etcd\.extra is not a field of the secrets file; remove it$/,
		},
		{
			name: 'a missing field',
			text: () => edited(secrets, (data) => delete data.certificateKey),
			expected: /^certificateKey is missing; write 64 lowercase hex digits/,
		},
		{
			name: 'another apiVersion',
			text: () => edited(secrets, (data) => Object.assign(data, {apiVersion: 'kubeha/v2'})),
			expected: /^apiVersion must be "kubeha\/v1alpha1"; write `apiVersion: kubeha\/v1alpha1`/,
		},
		{
			name: 'a malformed token',
			text: () => edited(secrets, (data) => Object.assign(data, {bootstrapToken: 'TOKEN.secretvalue1234567'})),
			expected: /^bootstrapToken has the wrong format; write a token like abcdef\.0123456789abcdef/,
		},
		{
			name: 'a VRRP password of 9 characters',
			text: () => edited(secrets, (data) => Object.assign(data, {vrrpAuthPass: 'abcdefghi'})),
			expected: /^vrrpAuthPass has the wrong format; write exactly 8 letters or digits/,
		},
		{
			name: 'a certificate that is no PEM',
			text: () => serializeSecrets({...secrets, clusterCa: {...secrets.clusterCa, cert: 'hello'}}),
			expected: /^clusterCa\.cert is not a PEM certificate/,
		},
		{
			name: 'a key that is no PEM',
			text: () => serializeSecrets({...secrets, clusterCa: {...secrets.clusterCa, key: 'hello'}}),
			expected: /^clusterCa\.key is not a PEM private key/,
		},
		{
			name: 'a key that belongs to another certificate',
			text: () => serializeSecrets({...secrets, clusterCa: {...secrets.clusterCa, key: etcd.ca.key}}),
			expected: /^clusterCa\.key does not belong to clusterCa\.cert/,
		},
		{
			name: 'a leaf certificate as the cluster CA',
			text: () => serializeSecrets({...secrets, clusterCa: etcd.apiserverClient}),
			expected: /^clusterCa\.cert is not a CA certificate/,
		},
		{
			name: "a member certificate from another cluster's etcd CA",
			text: () =>
				serializeSecrets({
					...secrets,
					etcd: {
						...etcd,
						members: {...etcd.members, etcd1: foreignEtcd1},
					},
				}),
			expected:
				/^etcd\.members\.etcd1\.server\.cert was not signed by etcd\.ca.*delete etcd\.members\.etcd1 to have kubeha issue/,
		},
	];

	for (const {name, text, expected} of cases) {
		test(`names the field and the fix for ${name}`, () => {
			const problems = problemsOf(text());
			assert.ok(
				problems.some((problem) => expected.test(problem)),
				`expected ${String(expected)}, got ${JSON.stringify(problems)}`,
			);
		});
	}

	test('never echoes a secret value in a problem', () => {
		const problems = problemsOf(edited(secrets, (data) => Object.assign(data, {certificateKey: 'not-hex-but-secret'})));
		assert.ok(!problems.join('\n').includes('not-hex-but-secret'));
	});
});
