import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {chmodSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {renewalPaths, renewalScheduleFiles, renewalTimes} from '../../source/certs/schedule.ts';
import {specOf} from '../helpers/spec.ts';
import {templates} from '../helpers/templates.ts';

const spec = specOf();
const realOutput = readFileSync(new URL('../status/fixtures/check-expiration-cp1.txt', import.meta.url), 'utf8');

/** The rendered renewal script run with a stand-in kubeadm that prints `expiration` and fails `certs renew all`. */
function runScript(expiration: string, marginDays = 30) {
	const node = spec.nodes[0];
	assert.ok(node);
	const script = renewalScheduleFiles({spec, templates}, node, marginDays).find(
		(file) => file.path === renewalPaths.script,
	);
	assert.ok(script);
	const directory = mkdtempSync(join(tmpdir(), 'kubeha-certs-schedule-'));
	writeFileSync(join(directory, 'expiration.txt'), expiration);
	// Renewal fails, so that the script (set -e) stops before it would restart this machine's static pods.
	writeFileSync(
		join(directory, 'kubeadm'),
		`#!/bin/bash\necho "$*" >> ${directory}/calls\n[ "$*" = "certs check-expiration" ] && exec cat ${directory}/expiration.txt\nexit 1\n`,
	);
	chmodSync(join(directory, 'kubeadm'), 0o755);
	const result = spawnSync('bash', ['-s'], {
		input: script.content,
		encoding: 'utf8',
		env: {...process.env, PATH: `${directory}:${process.env['PATH']}`},
	});
	const calls = spawnSync('cat', [join(directory, 'calls')], {encoding: 'utf8'}).stdout;
	return {...result, calls};
}

describe('kubeha certs renew --schedule', () => {
	test('the control planes check at times spread over the day, hours apart', () => {
		assert.deepEqual(
			[...renewalTimes(spec)],
			[
				['cp1', '03:00'],
				['cp2', '11:00'],
				['cp3', '19:00'],
			],
		);
		const timers = spec.nodes.map(
			(node) =>
				renewalScheduleFiles({spec, templates}, node, 30).find((file) => file.path === renewalPaths.timer)?.content,
		);
		assert.match(timers[1] ?? '', /\nOnCalendar=\*-\*-\* 11:00:00 UTC\n/);
		assert.doesNotMatch(timers[1] ?? '', /^(RandomizedDelaySec|Persistent)=/m);
		// systemd's own parser, where the machine has it.
		const calendar = spawnSync('systemd-analyze', ['calendar', '*-*-* 11:00:00 UTC'], {encoding: 'utf8'});
		if (calendar.error === undefined) assert.equal(calendar.status, 0, calendar.stderr);
	});

	test('a year left on real kubeadm output: nothing to renew', () => {
		const result = runScript(realOutput);
		assert.equal(result.status, 0, result.stderr);
		assert.equal(result.stdout, 'kubeha: the earliest certificate has 360 days left; renewal starts under 30\n');
		assert.equal(result.calls, 'certs check-expiration\n');
	});

	test('within the margin, or expired, it renews (and stops when kubeadm fails)', () => {
		for (const residual of ['4d  ', '<invalid>']) {
			const soon = realOutput.replace(/^(apiserver +\S+ \S+ \S+ \S+ \S+ +)360d/m, `$1${residual}`);
			const result = runScript(soon);
			assert.equal(result.status, 1);
			assert.match(result.stdout, /: renewing\n$/);
			assert.equal(result.calls, 'certs check-expiration\ncerts renew all\n');
		}
		assert.match(runScript(realOutput, 365).stdout, /360 days left: renewing/);
	});

	test('no table from kubeadm is an error, not a renewal', () => {
		const result = runScript('error: something\n');
		assert.equal(result.status, 1);
		assert.match(result.stderr, /listed no certificate/);
	});
});
