import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {HostFiles, RenderedFile} from '../../source/render/types.ts';
import {maskSecrets} from '../../source/secrets/mask.ts';
import type {Secrets} from '../../source/secrets/types.ts';
import {reviewFiles, reviewSummary, secretReplacements} from '../../source/wizard/review.ts';
import {environment} from './helpers.ts';

const secrets: Secrets = {
	vrrpAuthPass: 'Xk3pQ9zL',
	bootstrapToken: 'abcdef.0123456789abcdef',
	certificateKey: 'f'.repeat(64),
	clusterCa: {cert: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', key: 'PRIVATE-KEY-PEM'},
};

const file = (path: string, content: string, secret = false): RenderedFile => ({path, content, mode: 0o644, secret});

/** The same files rendered with the real secrets and with masked ones, as loadReview does. */
function rendered(content: (s: Secrets) => string): {actual: HostFiles[]; shown: HostFiles[]} {
	const host = (s: Secrets): HostFiles[] => [
		{
			node: 'cp1',
			files: [
				file('/etc/haproxy/haproxy.cfg', 'global\n  maxconn 4000\ndefaults\n  mode tcp\n'),
				file('/etc/keepalived/keepalived.conf', content(s), true),
				file('/etc/sysctl.d/99-kubeha.conf', 'net.ipv4.ip_forward = 1\n'),
			],
		},
	];
	return {actual: host(secrets), shown: host(maskSecrets(secrets))};
}

const keepalived = (s: Secrets) => `vrrp_instance VI_1 {\n  auth_pass ${s.vrrpAuthPass}\n  priority 120\n}\n`;

describe('reviewFiles', () => {
	test('a file the host lacks is new, every line an addition', () => {
		const {actual, shown} = rendered(keepalived);
		const review = reviewFiles({actual, shown, secrets, current: () => undefined});
		assert.deepEqual(review.files[0]?.status, 'new');
		assert.deepEqual(review.files[0]?.lines, [
			{kind: 'add', text: 'global'},
			{kind: 'add', text: '  maxconn 4000'},
			{kind: 'add', text: 'defaults'},
			{kind: 'add', text: '  mode tcp'},
		]);
	});

	test('a changed file is a unified diff of what the host has against what it gets', () => {
		const {actual, shown} = rendered(keepalived);
		const review = reviewFiles({
			actual,
			shown,
			secrets,
			current: (_, path) =>
				path === '/etc/haproxy/haproxy.cfg' ? 'global\n  maxconn 2000\ndefaults\n  mode tcp\n' : undefined,
		});
		assert.equal(review.files[0]?.status, 'changed');
		assert.deepEqual(review.files[0]?.lines, [
			{kind: 'hunk', text: '@@ -1,4 +1,4 @@'},
			{kind: 'context', text: 'global'},
			{kind: 'remove', text: '  maxconn 2000'},
			{kind: 'add', text: '  maxconn 4000'},
			{kind: 'context', text: 'defaults'},
			{kind: 'context', text: '  mode tcp'},
		]);
	});

	test('a secret file the host has with the same secrets is unchanged, whether its copy is masked or not', () => {
		const {actual, shown} = rendered(keepalived);
		for (const copy of [keepalived(secrets), keepalived(maskSecrets(secrets))]) {
			const review = reviewFiles({actual, shown, secrets, current: () => copy});
			assert.equal(review.files[1]?.status, 'unchanged');
			assert.deepEqual(review.files[1]?.lines, []);
		}
	});

	test('a changed secret file shows masked values only, and hides the lines only the host has', () => {
		const {actual, shown} = rendered(keepalived);
		const hostCopy = 'vrrp_instance VI_1 {\n  auth_pass OtherPw1\n  priority 100\n}\n';
		const review = reviewFiles({
			actual,
			shown,
			secrets,
			current: (_, path) => (path.includes('keepalived') ? hostCopy : undefined),
		});
		const text = JSON.stringify(review.files[1]?.lines);
		assert.equal(review.files[1]?.status, 'changed');
		assert.doesNotMatch(text, /Xk3pQ9zL|OtherPw1/);
		assert.match(text, /<secret:vrrp-auth-pass>/);
		assert.ok(review.files[1]?.lines.some((line) => line.kind === 'hidden'));
	});
});

test('secretReplacements pairs every private value with its placeholder, longest first', () => {
	const pairs = secretReplacements(secrets);
	assert.deepEqual(new Map(pairs).get('Xk3pQ9zL'), '<secret:vrrp-auth-pass>');
	assert.deepEqual(new Map(pairs).get('PRIVATE-KEY-PEM'), '<secret:cluster-ca-key>');
	assert.equal(
		pairs.some(([real]) => real.includes('CERTIFICATE')),
		false,
		'certificates are public',
	);
	assert.deepEqual(
		pairs.map(([real]) => real.length),
		pairs.map(([real]) => real.length).sort((a, b) => b - a),
	);
});

test('reviewSummary counts the files and says what each way on does', () => {
	const {actual, shown} = rendered(keepalived);
	const review = reviewFiles({
		actual,
		shown,
		secrets,
		current: (_, path) => (path.includes('sysctl') ? 'net.ipv4.ip_forward = 1\n' : undefined),
	});
	assert.deepEqual(reviewSummary(review, environment()), [
		'1 host, 3 files: 2 new, 0 changed, 1 unchanged.',
		'Save keeps cluster.yaml; export writes these files to cluster-bundle; apply is not available yet.',
	]);
});
