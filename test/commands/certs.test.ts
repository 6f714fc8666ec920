import assert from 'node:assert/strict';
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {certsRenewCommand} from '../../source/commands/certs.ts';
import {collect, testConnectDependencies, workspace} from '../helpers/command-world.ts';
import {FakeShell} from '../helpers/fake-shell.ts';
import {adminConfOf} from '../steps/step-harness.ts';

const dependencies = (shell?: FakeShell) => ({...testConnectDependencies(shell), now: () => Date.UTC(2026, 11, 7)});

/** A cluster whose nodes do what they are asked; `failing` makes one script fail on one host. */
function healthyShell(failing?: {match: string; host: string}): FakeShell {
	const shell = new FakeShell();
	if (failing) shell.on(failing.match, {exitCode: 1, stderr: 'the API server did not answer'}, failing.host);
	return shell
		.on('cat /etc/kubernetes/admin.conf', {stdout: adminConfOf('S0VZ')})
		.on('kubeadm certs renew all', {stdout: 'Done renewing certificates.\n'})
		.on('socat', {stdout: ''})
		.on('kubeha-restart', {stdout: ''});
}

const renewsIn = (shell: FakeShell) =>
	shell.calls
		.filter((call) => call.script.includes('kubeadm certs renew all') || call.script.includes('kubeha-restart'))
		.map((call) => `${call.script.includes('kubeha-restart') ? 'restart' : 'renew'} ${call.host}`);

describe('kubeha certs renew', () => {
	test('--dry-run shows the steps per control plane and connects to nothing', async () => {
		const output = collect();
		const code = await certsRenewCommand(
			{config: join(workspace(), 'cluster.yaml'), dryRun: true},
			output,
			dependencies(),
		);
		assert.equal(code, 0);
		assert.match(output.text(), / {2}1\. renew-certificates-cp1 on cp1\n/);
		assert.match(output.text(), /restart-control-plane-cp3 on cp3/);
		assert.match(output.text(), /a dry run: nothing was changed\./);
	});

	test('without a terminal it wants --yes; a margin outside 1–300 days is refused by name', async () => {
		const config = join(workspace(), 'cluster.yaml');
		await assert.rejects(
			certsRenewCommand({config}, collect(), dependencies()),
			/confirm it in a terminal, or pass --yes/,
		);
		await assert.rejects(
			certsRenewCommand({config, schedule: true, marginDays: '0', yes: true}, collect(), dependencies()),
			/--margin-days 0: give a whole number of days from 1 to 300/,
		);
	});

	test('one control plane after another; after a failure --resume goes on where it stopped', async () => {
		const directory = workspace();
		const config = join(directory, 'cluster.yaml');
		const failing = healthyShell({match: 'kubeha-restart', host: 'cp2'});
		assert.equal(await certsRenewCommand({config, yes: true}, collect(), dependencies(failing)), 1);
		assert.deepEqual(renewsIn(failing), ['renew cp1', 'restart cp1', 'renew cp2', 'restart cp2']);
		assert.ok(existsSync(join(directory, '.kubeha', 'certs-renew', 'journal.json')));

		const output = collect();
		const resumed = healthyShell();
		assert.equal(await certsRenewCommand({config, yes: true, resume: true}, output, dependencies(resumed)), 0);
		assert.deepEqual(renewsIn(resumed), ['restart cp2', 'renew cp3', 'restart cp3']);
		assert.match(readFileSync(join(directory, '.kubeha', 'admin.conf'), 'utf8'), /client-key-data: S0VZ/);
	});
});
