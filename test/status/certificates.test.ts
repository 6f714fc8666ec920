import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {describe, test} from 'node:test';
import {parseCertificateExpiry, residualSeconds} from '../../source/status/checks/certificates.ts';
import {problemsOf, warningsOf} from '../../source/status/problems.ts';
import {statusReport} from '../../source/status/report.ts';
import type {CertificatesStatus, HostStatus} from '../../source/status/types.ts';
import {labSpec, recordedStatus} from './fixtures.ts';

/** `kubeadm certs check-expiration` on a first control plane, as kubeadm v1.33 printed it (a published session). */
const real = readFileSync(new URL('fixtures/check-expiration-cp1.txt', import.meta.url), 'utf8');
const day = 86_400;

/** The real output with every certificate's residual time replaced, and super-admin.conf missing as on a joined one. */
const joinedWith = (residual: string) =>
	real
		.replaceAll(/ 360d( +)/g, (_, spaces: string) => ` ${residual.padEnd(4)}${spaces}`)
		.replace(/^super-admin\.conf .*$/m, '!MISSING! super-admin.conf');

const parsed = (text: string, exitCode = 0) => parseCertificateExpiry({text, exitCode});

describe("kubeadm's certificate expiry", () => {
	test('the real output: eleven certificates and three CAs, the earliest a year less five days away', () => {
		const status = parsed(real);
		assert.ok(status.answered);
		assert.equal(status.entries.length, 14);
		assert.deepEqual(status.earliest, {
			name: 'admin.conf',
			expires: 'Aug 19, 2026 09:03 UTC',
			residual: '360d',
			residualSeconds: 360 * day,
			authority: false,
			externallyManaged: false,
		});
		assert.deepEqual(
			status.entries.filter((entry) => entry.authority).map((entry) => [entry.name, entry.residualSeconds]),
			[
				['ca', 9 * 365 * day],
				['etcd-ca', 9 * 365 * day],
				['front-proxy-ca', 9 * 365 * day],
			],
		);
		assert.deepEqual(status.missing, []);
	});

	test('a missing certificate is listed apart; an expired one is <invalid>', () => {
		const status = parsed(
			joinedWith('4d').replace(/^(apiserver-etcd-client +\S+ \S+ \S+ \S+ \S+ +)4d {2}/m, '$1<invalid>'),
		);
		assert.ok(status.answered);
		assert.deepEqual(status.missing, ['super-admin.conf']);
		assert.equal(status.earliest.name, 'apiserver-etcd-client');
		assert.equal(status.earliest.residualSeconds, -1);
	});

	test('kubeadm failing, or printing no table, is an unknown, not a guess', () => {
		assert.deepEqual(parsed('bash: line 3: kubeadm: command not found', 127), {
			answered: false,
			error: 'bash: line 3: kubeadm: command not found',
		});
		assert.equal(parsed('nothing here').answered, false);
	});

	test("RESIDUAL TIME's units are read as the least time they stand for", () => {
		assert.deepEqual(['45s', '59m', '23h', '6d', '1y', '<invalid>', 'soon'].map(residualSeconds), [
			45,
			59 * 60,
			23 * 3600,
			6 * day,
			365 * day,
			-1,
			undefined,
		]);
	});
});

describe('certificates in the status', () => {
	const withCertificates = (residual: string): HostStatus[] =>
		recordedStatus('healthy').hosts.map((host) =>
			host.node === 'cp2' ? {...host, certificates: parsed(joinedWith(residual)) as CertificatesStatus} : host,
		);
	const status = (residual: string) => ({...recordedStatus('healthy'), hosts: withCertificates(residual)});

	test('under 7 days the cluster is degraded, and the fix is kubeha certs renew', () => {
		const problems = problemsOf(status('4d'), labSpec);
		assert.equal(problems.length, 1);
		assert.equal(problems[0]?.node, 'cp2');
		assert.match(problems[0]?.what ?? '', /^certificates on cp2 expire soon: admin\.conf, apiserver, /);
		assert.match(problems[0]?.why ?? '', /admin\.conf expires in 4d \(Aug 19, 2026 09:03 UTC\), by the node's clock/);
		assert.match(problems[0]?.fix ?? '', /`kubeha certs renew -c cluster\.yaml`/);
		assert.deepEqual(warningsOf(status('4d'), labSpec), []);
		const row = statusReport(status('4d'), labSpec).rows[1];
		assert.deepEqual(row?.at(-1), {text: '4d admin.conf', tone: 'bad'});
	});

	test('from 7 to 30 days a warning, not a problem; a year is fine', () => {
		assert.deepEqual(problemsOf(status('29d'), labSpec), []);
		assert.equal(warningsOf(status('29d'), labSpec).length, 1);
		assert.equal(statusReport(status('29d'), labSpec).rows[1]?.at(-1)?.tone, 'warn');
		assert.deepEqual(warningsOf(status('30d'), labSpec), []);
		assert.deepEqual(statusReport(status('360d'), labSpec).rows[1]?.at(-1), {text: '360d admin.conf', tone: 'ok'});
	});

	test('a CA near its end is not for kubeadm to renew', () => {
		const caSoon = real.replace(/^(ca +\S+ \S+ \S+ \S+ \S+ +)9y /m, '$13d ');
		const hosts = recordedStatus('healthy').hosts.map((host) =>
			host.node === 'cp1' ? {...host, certificates: parsed(caSoon)} : host,
		);
		const [problem] = problemsOf({...recordedStatus('healthy'), hosts}, labSpec);
		assert.match(problem?.fix ?? '', /kubeadm does not renew its certificate authorities/);
	});
});
