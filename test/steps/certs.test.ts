import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {describe, test} from 'node:test';
import {restartScript} from '../../source/certs/restart-script.ts';
import {waitServerUpScript} from '../../steps/certs/haproxy-server-state.ts';
import {certificateRenewalSteps, renewalScheduleSteps} from '../../steps/certs/index.ts';
import {templates} from '../helpers/templates.ts';
import {nothingInPlace, stepHarness} from './step-harness.ts';

const hostsOf = (harness: ReturnType<typeof stepHarness>) =>
	certificateRenewalSteps(harness.spec, harness.run).map((step) => [
		step.id,
		step.hosts(harness.spec).map((node) => node.name),
	]);

describe('kubeha certs renew, as steps', () => {
	test('one control plane after another: renewed, drained in every haproxy, restarted, UP again; then the kubeconfig', () => {
		const harness = stepHarness();
		const balancers = ['cp1', 'cp2', 'cp3'];
		assert.deepEqual(hostsOf(harness), [
			...['cp1', 'cp2', 'cp3'].flatMap((name) => [
				[`renew-certificates-${name}`, [name]],
				[`drain-api-server-${name}`, balancers],
				[`restart-control-plane-${name}`, [name]],
				[`ready-api-server-${name}`, balancers],
			]),
			['kubeconfig', ['cp1']],
		]);
	});

	test('with kube-vip there is no haproxy to drain', () => {
		const ids = hostsOf(stepHarness({example: 'kube-vip'})).map(([id]) => id);
		assert.ok(ids.every((id) => !String(id).includes('api-server-')));
		assert.ok(ids.includes('restart-control-plane-cp1'));
	});

	test('the scripts are bash, and the restart brings back what an interrupted run held', () => {
		const {spec, node} = stepHarness();
		const restart = restartScript(spec, node('cp2'));
		for (const script of [restart, waitServerUpScript('cp2')]) {
			const syntax = spawnSync('bash', ['-n'], {input: script, encoding: 'utf8'});
			assert.equal(syntax.status, 0, syntax.stderr);
		}
		assert.match(
			restart,
			/for file in \/etc\/kubernetes\/kubeha-restart\/\*\.yaml; do \[ -e "\$file" \] && mv "\$file" \/etc\/kubernetes\/manifests\/; done/,
		);
		assert.match(restart, /https:\/\/[\d.]+:6443\/healthz/);
	});

	test('--schedule writes the timer files on each control plane and enables the timer, renewing nothing now', async () => {
		const harness = stepHarness();
		nothingInPlace(harness.shell).on('systemctl', {stdout: ''});
		const {summary, events} = await harness.runThrough(renewalScheduleSteps(templates, 30));
		assert.equal(summary.status, 'done', JSON.stringify(events.filter((event) => event.kind === 'host-end')));
		const scripts = harness.shell.calls.map((call) => call.script).join('\n');
		assert.match(scripts, /systemctl enable --now kubeha-certs-renew\.timer/);
		assert.doesNotMatch(scripts, /kubeadm certs renew/);
		assert.deepEqual([...new Set(harness.shell.calls.map((call) => call.host))].sort(), ['cp1', 'cp2', 'cp3']);
	});

	test('the dry run says what happens on each host and changes nothing', async () => {
		const harness = stepHarness();
		const {summary, events} = await harness.runThrough(certificateRenewalSteps(harness.spec, harness.run), {
			dryRun: true,
		});
		assert.equal(summary.status, 'done');
		assert.equal(harness.shell.calls.length, 0);
		assert.ok(
			events.some(
				(event) =>
					event.kind === 'dry' &&
					event.text.includes(
						'kubeadm certs renew all (its PKI and admin.conf, super-admin.conf, controller-manager.conf, scheduler.conf)',
					),
			),
		);
	});
});
