import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {applyScript} from '../../source/bundle/apply-script.ts';
import {buildBundle} from '../../source/bundle/build.ts';
import {renderCluster} from '../../source/render/index.ts';
import {maskSecrets} from '../../source/secrets/mask.ts';
import {firstControlPlane} from '../../source/spec/cluster.ts';
import {loadBalancer} from '../../steps/load-balancer.ts';
import {prerequisites} from '../../steps/prerequisites.ts';
import type {OsFamily} from '../../steps/scripts/os.ts';
import {changedFunction} from '../../steps/scripts/tasks.ts';
import {type PlanStepDefinition, planStep} from '../../steps/support/plan-step.ts';
import {testSecrets} from '../helpers/secrets.ts';
import {exampleNames, exampleText} from '../helpers/spec.ts';
import {templates} from '../helpers/templates.ts';
import {nothingInPlace, stepHarness} from './step-harness.ts';

const shellcheckAvailable = spawnSync('shellcheck', ['--version']).status === 0;

describe('apply.sh', () => {
	it('is valid bash for every host of every example (and passes shellcheck when installed)', () => {
		const directory = mkdtempSync(join(tmpdir(), 'kubeha-apply-sh-'));
		// The first control plane's script has the most parts; the parts of every host are linted in scripts.test.ts.
		const paths: string[] = [];
		for (const example of exampleNames) {
			const {spec, view} = stepHarness({example});
			for (const node of spec.nodes) {
				const path = join(directory, `${example}-${node.name}.sh`);
				writeFileSync(path, applyScript(view(node.name), '0.1.0'));
				const syntax = spawnSync('bash', ['-n', path], {encoding: 'utf8'});
				assert.equal(syntax.status, 0, `${path}: ${syntax.stderr}`);
				if (node.name === firstControlPlane(spec)?.name) {
					paths.push(path);
				}
			}
		}

		if (shellcheckAvailable) {
			const lint = spawnSync('shellcheck', paths, {encoding: 'utf8'});
			assert.equal(lint.status, 0, lint.stdout.slice(0, 4000));
		}
	});

	for (const [definition, host, family] of [
		[prerequisites, 'worker1', 'apt'],
		[prerequisites, 'cp2', 'dnf'],
		[loadBalancer, 'cp1', 'apt'],
	] as [PlanStepDefinition, string, OsFamily][]) {
		it(`carries the very tasks the ${definition.id} step runs on ${host} (${family})`, async () => {
			const {run, shell, view, runThrough} = stepHarness({family});
			nothingInPlace(shell);
			await runThrough([planStep(definition, run)]);
			const script = applyScript(view(host), '0.1.0');
			const tasks = shell
				.callsOn(host)
				.filter((call) => call.script.includes('kubeha: in place: '))
				.map((call) => call.script.slice(changedFunction.length + 1));
			assert.ok(tasks.length > 0);
			for (const text of tasks) {
				assert.ok(script.includes(text), `apply.sh of ${host} lacks:\n${text.slice(0, 400)}`);
			}
		});
	}

	it('installs without an argument, verifies with `verify`, and refuses anything else', () => {
		const {view} = stepHarness();
		const script = applyScript(view('cp1'), '0.1.0');
		assert.match(
			script,
			/^# Install: download-components, prerequisites, load-balancer, kubeadm-init, cni, join-credentials\.$/m,
		);
		assert.match(script, /^if \[ "\$kubeha_request" = verify \]; then$/m);
		const path = join(mkdtempSync(join(tmpdir(), 'kubeha-apply-sh-')), 'apply.sh');
		writeFileSync(path, script);
		const result = spawnSync('bash', [path, 'bogus'], {encoding: 'utf8'});
		assert.equal(result.status, 2);
		assert.equal(result.stderr, 'kubeha: usage: apply.sh | apply.sh verify\n');
		const worker = applyScript(view('worker1'), '0.1.0');
		assert.match(worker, /^# Install: download-components, prerequisites, join-workers\.$/m);
		assert.doesNotMatch(worker, /kubeha_request" = verify/);
	});
});

describe('the bundle', () => {
	const bundle = (includeSecrets: boolean) => {
		const {spec} = stepHarness();
		return buildBundle({
			spec,
			specText: exampleText('three-control-planes'),
			hosts: renderCluster(spec, includeSecrets ? testSecrets : maskSecrets(testSecrets), templates),
			...(includeSecrets ? {secretsText: 'secrets'} : {}),
			templates,
			version: '0.1.0',
		});
	};

	it('gives every host an apply.sh (0755, 0700 with the secrets), listed in SHA256SUMS, holding no secret', () => {
		const entries = bundle(false);
		const scripts = entries.filter((entry) => entry.path.endsWith('/apply.sh'));
		assert.deepEqual(
			scripts.map((entry) => [entry.path, entry.mode]),
			['cp1', 'cp2', 'cp3', 'worker1', 'worker2'].map((node) => [`hosts/${node}/apply.sh`, 0o755]),
		);
		const sums = entries.find((entry) => entry.path === 'SHA256SUMS')?.content ?? '';
		assert.match(sums, / {2}hosts\/cp1\/apply\.sh$/m);
		for (const secret of [testSecrets.bootstrapToken, testSecrets.certificateKey, testSecrets.vrrpAuthPass]) {
			assert.ok(!scripts.some((entry) => entry.content.includes(secret)));
		}

		assert.ok(
			bundle(true)
				.filter((entry) => entry.path.endsWith('/apply.sh'))
				.every((entry) => entry.mode === 0o700),
		);
		assert.match(
			entries.find((entry) => entry.path === 'README.md')?.content ?? '',
			/ssh root@<node> bash kubeha\/apply\.sh/,
		);
	});
});
