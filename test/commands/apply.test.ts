import assert from 'node:assert/strict';
import {copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {
	type ApplyDependencies,
	type ApplyOptions,
	applyCommand,
	type ProgressViewOptions,
	stateDirectoryFor,
} from '../../source/commands/apply.ts';
import {duration, formatEvent} from '../../source/commands/apply-output.ts';
import {fileChanges, formatFileChanges, planSummary} from '../../source/commands/apply-plan.ts';
import {confirmHostKeys, parseSshOptions, sshConfigText, writeSshConfig} from '../../source/commands/apply-ssh.ts';
import type {CommandOutput} from '../../source/commands/io.ts';
import {buildProgram} from '../../source/program.ts';
import type {RunEvent} from '../../source/runner/events.ts';
import type {Shell} from '../../source/runner/shell.ts';
import type {NodeSpec} from '../../source/spec/schema.ts';
import {installSteps} from '../../steps/index.ts';
import {FakeShell} from '../helpers/fake-shell.ts';
import {type ExampleName, specOf} from '../helpers/spec.ts';
import {type Sshd, sshdUnavailable, startSshd} from '../helpers/sshd.ts';
import {adminConfOf, factsOutput, nothingInPlace, stepHarness, testNow} from '../steps/step-harness.ts';

/** A directory holding an example as cluster.yaml, with the fixed test secrets beside it. */
function workspace(example: ExampleName = 'three-control-planes'): string {
	const directory = mkdtempSync(join(tmpdir(), 'kubeha-apply-'));
	copyFileSync(`examples/${example}.yaml`, join(directory, 'cluster.yaml'));
	copyFileSync('test/fixtures/secrets.yaml', join(directory, 'cluster.secrets.yaml'));
	return directory;
}

type Collected = CommandOutput & {readonly lines: string[]; readonly errors: string[]};
function collect(): Collected {
	const lines: string[] = [];
	const errors: string[] = [];
	return {lines, errors, out: (text) => lines.push(text), err: (text) => errors.push(text)};
}

const adminConf = adminConfOf('S0VZ');

/**
A fake shell in front of the three-control-planes nodes, all healthy and with everything installed already.
`facts` changes what a node reports; `checksDelayMs` makes the in-place checks slow (to interrupt them).
*/
function installedCluster({
	facts = (text) => text,
	checksDelayMs = 0,
}: {
	facts?: (text: string, node: NodeSpec) => string;
	checksDelayMs?: number;
} = {}): FakeShell {
	const spec = specOf();
	const shell = new FakeShell();
	for (const node of spec.nodes) {
		shell.on('@@kubeha:', {stdout: facts(factsOutput(spec, node), node)}, node.name);
	}

	return shell
		.on('cat /etc/kubernetes/admin.conf', {stdout: adminConf})
		.on('kubeha-missing: ', {stdout: '', delayMs: checksDelayMs})
		.on('kubeha_failed=0', {stdout: 'kubeha: ok: checked\n'});
}

function dependencies(shell: Shell | undefined, overrides: Partial<ApplyDependencies> = {}): ApplyDependencies {
	return {
		interactive: false,
		confirm: () => Promise.reject(new Error('the test did not expect a question')),
		openShell: async () => {
			assert.ok(shell, 'the test did not expect a connection');
			return shell;
		},
		confirmHostKeys: async () => false,
		onInterrupt: () => () => undefined,
		now: () => testNow,
		...overrides,
	};
}

const apply = (directory: string, options: Partial<ApplyOptions>, output: CommandOutput, deps: ApplyDependencies) =>
	applyCommand({config: join(directory, 'cluster.yaml'), ...options}, output, deps);

describe('kubeha apply --dry-run', () => {
	it('prints the plan, what each step would do on each host, and touches nothing', async () => {
		const directory = workspace();
		const output = collect();
		const code = await apply(directory, {dryRun: true}, output, dependencies(undefined));
		assert.equal(code, 0);
		const text = output.lines.join('\n');
		assert.match(
			text,
			/^cluster prod: Kubernetes 1\.37\.1, keepalived-haproxy \(systemd\), stacked etcd, endpoint 192\.168\.1\.94:8443, 5 nodes$/m,
		);
		assert.match(text, /^ 11\. join-control-planes {2}cp2, cp3$/m);
		assert.match(
			text,
			/^\d\d:\d\d:\d\d \[cp2\] write \/etc\/haproxy\/haproxy\.cfg \(0644\), checked first with `haproxy -c -f FILE`$/m,
		);
		assert.match(text, /^\d\d:\d\d:\d\d \[cp1\] cluster prod initialised on cp1 \(kubeadm init\)$/m);
		assert.match(text, /^\d\d:\d\d:\d\d dry run done in 0\.0 s$/m);
		assert.match(
			text,
			/^files: no earlier apply is recorded in .*\.kubeha\/applied, so kubeha cannot tell what the hosts have now;$/m,
		);
		assert.deepEqual(readdirSync(stateDirectoryFor(join(directory, 'cluster.yaml'))), [], 'no journal, log or record');
	});

	it('shows the files that changed since the last apply as diffs, secrets masked', async () => {
		const directory = workspace();
		assert.equal(await apply(directory, {yes: true}, collect(), dependencies(installedCluster())), 0);
		const spec = join(directory, 'cluster.yaml');
		writeFileSync(spec, readFileSync(spec, 'utf8').replace('statsPort: 1080', 'statsPort: 1081'));
		const output = collect();
		assert.equal(await apply(directory, {dryRun: true}, output, dependencies(undefined)), 0);
		const text = output.lines.join('\n');
		assert.match(
			text,
			/^files, compared with the last successful apply \(.*; secrets masked\): 3 changed, 0 new, 26 unchanged$/m,
		);
		assert.match(text, /^- {4}bind \*:1080$/m);
		assert.match(text, /^\+ {4}bind \*:1081$/m);
		assert.doesNotMatch(
			text,
			new RegExp(readFileSync('test/fixtures/secrets.yaml', 'utf8').match(/vrrpAuthPass: (\S+)/)?.[1] ?? 'none'),
		);
	});
});

describe('kubeha apply', () => {
	it('refuses to change nodes without a terminal to confirm in, unless --yes', async () => {
		await assert.rejects(
			apply(workspace(), {}, collect(), dependencies(undefined)),
			/confirm it in a terminal, or pass --yes/,
		);
	});

	it('asks in a terminal, and changes nothing when the answer is no', async () => {
		const questions: string[] = [];
		const output = collect();
		const deps = dependencies(undefined, {
			interactive: true,
			confirm: async (message) => {
				questions.push(message);
				return false;
			},
		});
		assert.equal(await apply(workspace(), {}, output, deps), 1);
		assert.deepEqual(questions, ['Apply cluster prod to its 5 nodes?']);
		assert.match(output.lines.join('\n'), /^cluster prod: /m);
		assert.equal(output.lines.at(-1), 'nothing was changed.');
	});

	it('on an installed cluster: every step finds its work in place, verify passes, the kubeconfig and the record are kept', async () => {
		const directory = workspace();
		const shell = installedCluster();
		const output = collect();
		assert.equal(await apply(directory, {yes: true}, output, dependencies(shell)), 0);
		const state = stateDirectoryFor(join(directory, 'cluster.yaml'));
		assert.equal(statSync(join(state, 'admin.conf')).mode & 0o777, 0o600);
		assert.match(readFileSync(join(state, 'admin.conf'), 'utf8'), /current-context: prod/);
		assert.ok(existsSync(join(state, 'applied', 'cp1', 'etc', 'haproxy', 'haproxy.cfg')));
		assert.match(
			readFileSync(join(state, 'applied', 'cp1', 'etc', 'keepalived', 'keepalived.conf'), 'utf8'),
			/<secret:vrrp-auth-pass>/,
		);
		const text = output.lines.join('\n');
		assert.match(text, /\[cp2\] prerequisites skipped: already in place: /);
		assert.match(text, /\[cp1\] kubeadm-init skipped: already in place: .*cluster prod initialised on cp1/);
		assert.match(
			output.lines.at(-1) ?? '',
			/^cluster prod is installed\. The log of this run: .*\/logs\/run-2026-09-01T12-00-00\.000Z\.log$/,
		);
		assert.ok(shell.closed, 'the ssh connections are closed');
		const log = readFileSync(join(state, 'logs', 'run-2026-09-01T12-00-00.000Z.log'), 'utf8');
		assert.match(log, /run done/);
	});

	it('on a terminal, the events go to the live view (with the log path and the resume command), not to lines', async () => {
		const directory = workspace();
		const output = collect();
		const shown: RunEvent[] = [];
		let viewOptions: ProgressViewOptions | undefined;
		let closed = false;
		const deps = dependencies(installedCluster(), {
			progressView(options) {
				viewOptions = options;
				return {
					push: (event) => shown.push(event),
					async close() {
						closed = true;
					},
				};
			},
		});
		assert.equal(await apply(directory, {yes: true}, output, deps), 0);
		assert.equal(shown.at(-1)?.kind, 'run-end');
		assert.ok(closed, 'the view was closed when the run ended');
		assert.match(viewOptions?.logPath ?? '', /\/logs\/run-.*\.log$/);
		assert.equal(viewOptions?.resumeCommand, `kubeha apply -c ${join(directory, 'cluster.yaml')} --resume`);
		assert.ok(!output.lines.some((line) => /prerequisites skipped/.test(line)), 'no event was printed as a line');
	});

	it('stops at a preflight error, says where the log is and how to go on', async () => {
		const directory = workspace();
		// cp3's clock is two minutes ahead.
		const shell = installedCluster({
			facts: (text, node) =>
				node.name === 'cp3' ? text.replace(`${testNow / 1000}\n`, `${testNow / 1000 + 120}\n`) : text,
		});
		const output = collect();
		assert.equal(await apply(directory, {yes: true}, output, dependencies(shell)), 1);
		const text = output.lines.join('\n');
		assert.match(
			text,
			/\[cp3\] preflight FAILED: 1 preflight error on cp3 \(nothing was changed\): the clock of cp3 is 120 s ahead/,
		);
		assert.match(text, /^\S+ apply failed in /m);
		assert.doesNotMatch(text, /==> prerequisites/);
		assert.match(
			output.lines.at(-1) ?? '',
			/^kubeha apply failed; the full log is .*\.log\. Fix the cause, then run `kubeha apply -c .*cluster\.yaml --resume` to go on where it stopped\.$/,
		);
	});

	it('goes on where a run stopped with --resume, and redoes the steps that run every time', async () => {
		const directory = workspace();
		// A first install: nothing is in place, everything works until the kubeconfig cannot be read.
		const spec = specOf();
		const first = new FakeShell().on('cat /etc/kubernetes/admin.conf', {exitCode: 1, stderr: 'cat: no such file\n'});
		for (const node of spec.nodes) {
			first.on('@@kubeha:', {stdout: factsOutput(spec, node)}, node.name);
		}

		nothingInPlace(first);
		const failed = collect();
		assert.equal(await apply(directory, {yes: true}, failed, dependencies(first)), 1);
		assert.match(failed.lines.join('\n'), /\[cp1\] kubeconfig FAILED \(exit code 1\)/);
		const output = collect();
		const again = installedCluster();
		assert.equal(await apply(directory, {yes: true, resume: true}, output, dependencies(again)), 0);
		const text = output.lines.join('\n');
		assert.match(
			text,
			/\[cp1\] kubeadm-init skipped: finished in an earlier run, and what it depends on has not changed/,
		);
		assert.match(text, /\[worker2\] prerequisites skipped: finished in an earlier run/);
		assert.match(text, /\[cp1\] gather-facts done/);
		assert.match(text, /\[cp2\] preflight done/);
		assert.ok(again.calls.some((call) => call.script.includes('cat /etc/kubernetes/admin.conf')));
	});

	it('stops cleanly on Ctrl-C (exit code 130), ending what runs', async () => {
		const directory = workspace();
		let interrupt: (() => void) | undefined;
		const shell = installedCluster({checksDelayMs: 5000});
		const checks = () => shell.calls.filter((call) => call.script.includes('kubeha-missing: '));
		const output = collect();
		const running = apply(
			directory,
			{yes: true},
			output,
			dependencies(shell, {
				onInterrupt(handler) {
					interrupt = handler;
					return () => {
						interrupt = undefined;
					};
				},
			}),
		);
		while (checks().length === 0) {
			await new Promise((resolve) => setTimeout(resolve, 10));
		}

		interrupt?.();
		assert.equal(await running, 130);
		assert.ok(checks().every((call) => call.aborted));
		assert.match(output.lines.at(-1) ?? '', /^kubeha apply stopped; .*When ready, run `kubeha apply .* --resume`/);
		assert.equal(interrupt, undefined, 'the Ctrl-C handler is gone after the run');
	});

	it('asks before stopping in a terminal', async () => {
		const directory = workspace();
		let interrupt: (() => void) | undefined;
		const answers = [false, true];
		const questions: string[] = [];
		const shell = installedCluster({checksDelayMs: 5000});
		const checks = () => shell.calls.filter((call) => call.script.includes('kubeha-missing: '));
		const running = apply(
			directory,
			{yes: true},
			collect(),
			dependencies(shell, {
				interactive: true,
				confirm: async (message) => {
					questions.push(message);
					return answers.shift() ?? true;
				},
				onInterrupt(handler) {
					interrupt = handler;
					return () => undefined;
				},
			}),
		);
		while (checks().length === 0) {
			await new Promise((resolve) => setTimeout(resolve, 10));
		}

		interrupt?.();
		await new Promise((resolve) => setTimeout(resolve, 20));
		assert.ok(
			checks().every((call) => !call.aborted),
			'answered no: the run goes on',
		);
		interrupt?.();
		assert.equal(await running, 130);
		assert.deepEqual(questions, [
			'Stop the install? Commands running on the nodes are ended; --resume goes on later.',
			'Stop the install? Commands running on the nodes are ended; --resume goes on later.',
		]);
	});

	it('prints one JSON object per event with --output json, human words on stderr', async () => {
		const output = collect();
		assert.equal(await apply(workspace(), {yes: true, output: 'json'}, output, dependencies(installedCluster())), 0);
		const events = output.lines.map((line) => JSON.parse(line) as RunEvent);
		assert.equal(events[0]?.kind, 'run-start');
		assert.equal(events.at(-1)?.kind, 'run-end');
		assert.match(output.errors.join('\n'), /cluster prod is installed/);
	});

	it('says what is wrong with its own flags', async () => {
		const directory = workspace();
		await assert.rejects(
			apply(directory, {dryRun: true, output: 'yaml'}, collect(), dependencies(undefined)),
			/--output "yaml" is not an output format: use text or json/,
		);
		await assert.rejects(
			apply(directory, {dryRun: true, concurrency: '0'}, collect(), dependencies(undefined)),
			/--concurrency "0" is not a whole number of hosts from 1 up/,
		);
		await assert.rejects(
			apply(directory, {dryRun: true, sshOption: ['StrictHostKeyChecking']}, collect(), dependencies(undefined)),
			/--ssh-option "StrictHostKeyChecking" is not KEY=VALUE/,
		);
	});

	it('hands --ssh-option to ssh in a config file that includes the operator’s own', async () => {
		const directory = workspace();
		let options: Parameters<ApplyDependencies['openShell']>[0] | undefined;
		const shell = installedCluster();
		const deps = dependencies(shell, {
			openShell: async (given) => {
				options = given;
				return shell;
			},
		});
		assert.equal(
			await apply(
				directory,
				{yes: true, sshOption: ['UserKnownHostsFile=/lab/known hosts', 'IdentitiesOnly=yes']},
				collect(),
				deps,
			),
			0,
		);
		assert.ok(options?.configFile);
		assert.equal(
			readFileSync(options.configFile, 'utf8'),
			sshConfigText(parseSshOptions(['UserKnownHostsFile=/lab/known hosts', 'IdentitiesOnly=yes'])),
		);
		assert.match(
			readFileSync(options.configFile, 'utf8'),
			/^UserKnownHostsFile "\/lab\/known hosts"\nIdentitiesOnly yes\nInclude ~\/\.ssh\/config\nInclude \/etc\/ssh\/ssh_config\n$/m,
		);
		assert.equal(options.user, 'root');
		assert.equal(options.port, 22);
	});
});

describe('the apply command line', () => {
	it('parses its flags (--ssh-option repeated) and runs a dry run', async () => {
		const directory = workspace();
		const output = collect();
		let code: number | undefined;
		const program = buildProgram(output, (exit) => {
			code = exit;
		});
		const argv = [
			'apply',
			'-c',
			join(directory, 'cluster.yaml'),
			'--dry-run',
			'--ssh-option',
			'A=b',
			'--ssh-option',
			'C=d',
		];
		await program.parseAsync(argv, {from: 'user'});
		assert.equal(code, 0);
		assert.equal(program.commands.find((command) => command.name() === 'apply')?.opts()['sshOption']?.length, 2);
		assert.match(output.lines.join('\n'), /^files: no earlier apply is recorded/m);
	});
});

describe('output and plan', () => {
	const at = testNow;
	const time = () => '12:00:00';

	it('formats events as timestamped lines, leaving out what says nothing', () => {
		const lines = (
			[
				{kind: 'step-start', at, stepId: 'prerequisites', title: 'Prepare', hosts: ['cp1', 'cp2']},
				{kind: 'host-start', at, stepId: 'prerequisites', host: 'cp1'},
				{kind: 'line', at, stepId: 'prerequisites', host: 'cp1', stream: 'stdout', text: 'kubeha: swap off'},
				{kind: 'host-end', at, stepId: 'prerequisites', host: 'cp1', durationMs: 4200, outcome: {status: 'done'}},
				{
					kind: 'host-end',
					at,
					stepId: 'prerequisites',
					host: 'cp2',
					durationMs: 10,
					outcome: {status: 'skipped', reason: 'already in place: x'},
				},
				{kind: 'step-end', at, stepId: 'prerequisites', durationMs: 185_000, status: 'failed'},
				{
					kind: 'run-end',
					at,
					durationMs: 200_000,
					status: 'failed',
					failures: [
						{
							host: 'cp3',
							stepId: 'prerequisites',
							status: 'failed',
							error: 'apt-get failed',
							exitCode: 100,
							lastLines: ['a', 'b', 'c', 'd', 'e', 'f'],
						},
					],
				},
			] as RunEvent[]
		).map((event) => formatEvent(event, {format: 'text', time}));
		assert.deepEqual(lines, [
			'12:00:00 ==> prerequisites: Prepare (cp1, cp2)',
			undefined,
			'12:00:00 [cp1] kubeha: swap off',
			'12:00:00 [cp1] prerequisites done (4.2 s)',
			'12:00:00 [cp2] prerequisites skipped: already in place: x',
			'12:00:00 <== prerequisites failed (3 min 5 s)',
			[
				'12:00:00 apply failed in 3 min 20 s',
				'12:00:00   [cp3] prerequisites: apt-get failed',
				...['b', 'c', 'd', 'e', 'f'].map((line) => `12:00:00       | ${line}`),
			].join('\n'),
		]);
		const failed: RunEvent = {
			kind: 'host-end',
			at,
			stepId: 'x',
			host: 'cp1',
			durationMs: 1,
			outcome: {status: 'failed', error: 'e', exitCode: 3, lastLines: []},
		};
		assert.equal(formatEvent(failed, {format: 'text', time}), '12:00:00 [cp1] x FAILED (exit code 3): e');
		assert.equal(formatEvent(failed, {format: 'json'}), JSON.stringify(failed));
		assert.equal(
			formatEvent(
				{kind: 'step-end', at, stepId: 'x', durationMs: 1, status: 'done'},
				{format: 'text', dryRun: true, time},
			),
			undefined,
		);
		assert.equal(duration(59_949), '59.9 s');
	});

	it('summarises the plan and compares files with the record', () => {
		const {spec, run, files} = stepHarness({example: 'external-load-balancer'});
		assert.match(planSummary(spec, installSteps(run)), /^ {2}4\. load-balancer {8}\(nothing to do for this spec\)$/m);
		const cp1 = files.find((host) => host.node === 'cp1');
		assert.ok(cp1);
		const [first, second] = cp1.files;
		assert.ok(first && second);
		const changes = fileChanges(
			[cp1],
			new Map([
				[
					'cp1',
					new Map([
						[first.path, first.content],
						[second.path, `${second.content}old\n`],
					]),
				],
			]),
		);
		assert.deepEqual(
			changes.map((change) => change.status),
			['unchanged', 'changed', ...cp1.files.slice(2).map(() => 'new')],
		);
		assert.match(changes[1]?.diff ?? '', /^-old$/m);
		assert.match(formatFileChanges(changes, '/s/applied', true), /: 1 changed, \d+ new, 1 unchanged\n/);
	});
});

describe('host keys against a real sshd', {skip: sshdUnavailable() ?? false}, () => {
	let sshd: Sshd;
	before(async () => {
		sshd = await startSshd();
	});
	after(async () => {
		await sshd?.stop();
	});

	const check = async (knownHosts: string, overrides: Partial<Parameters<typeof confirmHostKeys>[0]> = {}) => {
		const state = mkdtempSync(join(tmpdir(), 'kubeha-keys-'));
		const configFile = await writeSshConfig(
			state,
			parseSshOptions([`UserKnownHostsFile=${knownHosts}`, 'GlobalKnownHostsFile=/dev/null']),
		);
		const output = collect();
		const result = confirmHostKeys({
			nodes: [{name: 'local', address: '127.0.0.1', roles: ['worker']}],
			ssh: {user: 'root', port: sshd.port, ...(configFile ? {configFile} : {})},
			acceptNewHostKeys: false,
			interactive: false,
			confirm: async () => false,
			output,
			...overrides,
		});
		return {result, output};
	};

	it('lets known hosts through without a question', async () => {
		assert.equal(await (await check(sshd.knownHosts)).result, false);
	});

	it('shows the fingerprints of unknown hosts and refuses them without a terminal', async () => {
		const empty = join(sshd.directory, 'empty-known-hosts');
		writeFileSync(empty, '');
		const {result, output} = await check(empty);
		await assert.rejects(result, /the host keys of local are not in known_hosts: run kubeha apply in a terminal/);
		assert.match(output.errors.join('\n'), /local \(127\.0\.0\.1:\d+\)\n {4}ssh-ed25519 SHA256:/);
		assert.equal(await (await check(empty, {acceptNewHostKeys: true})).result, true);
	});

	it('records confirmed keys in the known_hosts file ssh reads, so the next check passes', async () => {
		const file = join(sshd.directory, 'confirmed-known-hosts');
		writeFileSync(file, '');
		assert.equal(await (await check(file, {interactive: true, confirm: async () => true})).result, false);
		assert.match(readFileSync(file, 'utf8'), new RegExp(`^\\[127\\.0\\.0\\.1\\]:${sshd.port} ssh-ed25519 `, 'm'));
		assert.equal(await (await check(file)).result, false);
	});
});
