import assert from 'node:assert/strict';
import {readFile, stat} from 'node:fs/promises';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import type {RunEvent} from '../../source/runner/events.ts';
import {runSteps} from '../../source/runner/runner.ts';
import type {Shell} from '../../source/runner/shell.ts';
import {openSshShell} from '../../source/runner/ssh-shell.ts';
import {gatherFacts} from '../../steps/gather-facts.ts';
import {files, tasks} from '../../steps/scripts/plan.ts';
import type {InstallRun} from '../../steps/support/install-run.ts';
import {type PlanStepDefinition, planStep} from '../../steps/support/plan-step.ts';
import type {Step} from '../../steps/types.ts';
import {testSecrets} from '../helpers/secrets.ts';
import {specOf} from '../helpers/spec.ts';
import {type Sshd, sshdUnavailable, sshOptionsFor, startSshd} from '../helpers/sshd.ts';
import {outcomes} from './step-harness.ts';

/**
Steps over real ssh, against an sshd on loopback. That host is this machine, so only what changes nothing
outside a scratch directory runs here: gathering facts, and a plan step whose files live in the scratch
directory. The full install runs in the lab.
*/
describe('steps over real ssh', {skip: sshdUnavailable() ?? false}, () => {
	let sshd: Sshd;
	let shell: Shell;
	const spec = specOf((draft) => {
		draft.nodes = [{name: 'local', address: '127.0.0.1', roles: ['control-plane']}];
	}, 'external-load-balancer');

	before(async () => {
		sshd = await startSshd();
		shell = await openSshShell(sshOptionsFor(sshd));
	});
	after(async () => {
		await shell?.close();
		await sshd?.stop();
	});

	const installRun = (): InstallRun => ({
		runId: 'ssh-test',
		facts: new Map(),
		now: Date.now,
		stateDirectory: sshd.directory,
		shell,
		clusterCaCertificate: testSecrets.clusterCa.cert,
	});
	const run = async (steps: readonly Step[]) => {
		const events: RunEvent[] = [];
		const summary = await runSteps({
			steps,
			spec,
			files: [],
			shell,
			redact: (text) => text,
			onEvent: (event) => events.push(event),
		});
		return {summary, events};
	};

	it('gathers the facts of the host', async () => {
		const install = installRun();
		const {summary} = await run([gatherFacts(install)]);
		assert.equal(summary.status, 'done', JSON.stringify(summary.failures));
		const facts = install.facts.get('local');
		assert.ok(facts);
		assert.ok(facts.os.id !== '');
		assert.ok(facts.interfaces.some((item) => item.addresses.some(({address}) => address === '127.0.0.1')));
		assert.ok(
			facts.listening.some((listener) => listener.port === sshd.port),
			'sshd listens',
		);
		assert.ok(Math.abs(facts.clockSkewSeconds) < 5);
	});

	it('writes a plan’s files once, reloads on a change only, and skips the host when all is in place', async () => {
		const config = join(sshd.directory, 'etc', 'demo.conf');
		const secret = join(sshd.directory, 'etc', 'demo.key');
		const reloads = join(sshd.directory, 'reloads');
		const demo = (content: string): PlanStepDefinition => ({
			id: 'demo',
			title: 'Demo files',
			hosts: (cluster) => cluster.nodes,
			parallel: true,
			plan: () => [
				files(
					{
						file: {path: config, content, mode: 0o644},
						origin: 'generated',
						validate: (path) => `grep -F 'setting' ${path}`,
					},
					{file: {path: secret, content: 'private\n', mode: 0o600}, origin: 'generated'},
				),
				tasks({
					what: 'the demo service runs the current config',
					check: `! kubeha_changed '${config}'`,
					act: `echo reload >> '${reloads}'`,
				}),
			],
		});
		const install = installRun();
		install.facts.set('local', {
			os: {id: 'debian', idLike: [], name: 'Debian'},
			family: 'apt',
			arch: 'x86_64',
			interfaces: [],
			swapOn: false,
			listening: [],
			existing: [],
			services: {},
			versions: {},
			clockSkewSeconds: 0,
		});

		const first = await run([planStep(demo('setting = 1\n'), install)]);
		assert.equal(first.summary.status, 'done', JSON.stringify(first.summary.failures));
		assert.equal(await readFile(config, 'utf8'), 'setting = 1\n');
		assert.equal((await stat(secret)).mode & 0o777, 0o600);
		assert.equal(await readFile(reloads, 'utf8'), 'reload\n');

		const second = await run([planStep(demo('setting = 1\n'), install)]);
		const skipped = outcomes(second.events)['local'];
		assert.equal(skipped?.status, 'skipped');
		assert.match(
			skipped?.status === 'skipped' ? skipped.reason : '',
			/^already in place: .*demo\.conf written; .*demo\.key written; the demo service runs the current config$/,
		);
		assert.equal(await readFile(reloads, 'utf8'), 'reload\n');

		const third = await run([planStep(demo('setting = 2\n'), install)]);
		assert.equal(third.summary.status, 'done');
		assert.equal(await readFile(`${config}.kubeha-previous`, 'utf8'), 'setting = 1\n');
		assert.equal(await readFile(reloads, 'utf8'), 'reload\nreload\n');

		const refused = await run([planStep(demo('broken = 3\n'), install)]);
		assert.equal(refused.summary.status, 'failed');
		assert.match(
			refused.summary.failures[0]?.error ?? '',
			/fails `grep -F 'setting' .*demo\.conf` on local, so kubeha left the old one in place/,
		);
		assert.equal(await readFile(config, 'utf8'), 'setting = 2\n');
	});
});
