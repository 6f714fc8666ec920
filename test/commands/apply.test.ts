import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {promisify} from 'node:util';
import {applyCommand} from '../../source/commands/apply.ts';
import {parseFilesAnswer, readFilesScript} from '../../source/install/host-copies.ts';
import type {ApplyOptions} from '../../source/install/install.ts';
import {
	driftedFiles,
	type FilePlan,
	formatFilePlan,
	type HostCopy,
	type HostFilePlan,
	planFiles,
} from '../../source/plan/file-plan.ts';
import {maskHostCopy, secretPlaceholders} from '../../source/plan/host-mask.ts';
import {installedFiles, planSummary} from '../../source/plan/install-plan.ts';
import {buildProgram} from '../../source/program.ts';
import {renderCluster} from '../../source/render/index.ts';
import type {HostFiles, RenderedFile} from '../../source/render/types.ts';
import type {RunEvent} from '../../source/runner/events.ts';
import {redactor} from '../../source/runner/redact.ts';
import type {Shell} from '../../source/runner/shell.ts';
import {maskSecrets} from '../../source/secrets/mask.ts';
import type {ProgressViewOptions, SessionDependencies} from '../../source/session/dependencies.ts';
import {duration, formatEvent} from '../../source/session/event-lines.ts';
import {confirmHostKeys} from '../../source/session/known-hosts.ts';
import type {CommandOutput} from '../../source/session/output.ts';
import {stateDirectoryFor} from '../../source/session/session.ts';
import {parseSshOptions, sshConfigText, writeSshConfig} from '../../source/session/ssh-config.ts';
import type {NodeSpec} from '../../source/spec/schema.ts';
import {installSteps} from '../../steps/index.ts';
import {collect, testConnectDependencies, workspace} from '../helpers/command-world.ts';
import {FakeShell} from '../helpers/fake-shell.ts';
import {testSecrets} from '../helpers/secrets.ts';
import {specOf} from '../helpers/spec.ts';
import {type Sshd, sshdUnavailable, startSshd} from '../helpers/sshd.ts';
import {templates} from '../helpers/templates.ts';
import {adminConfOf, factsOutput, nothingInPlace, stepHarness, testNow} from '../steps/step-harness.ts';

const adminConf = adminConfOf('S0VZ');

/** The files each node of the three-control-planes example has once installed, with the test secrets. */
const installedOf = (spec = specOf()) => installedFiles(spec, renderCluster(spec, testSecrets, templates));

/** A host's copy of a file in a test: the installed one, another content, or none. */
type Copy = (host: string, file: RenderedFile) => HostCopy;
const asInstalled: Copy = (_host, file) => ({content: file.content, mode: file.mode});

/** What `readFilesScript` prints on a host whose copies `copy` gives. */
function filesAnswer(host: HostFiles, copy: Copy): string {
	return host.files
		.map((file) => {
			const found = copy(host.node, file);
			return found === undefined
				? 'kubeha-file absent\n'
				: `kubeha-file ${found.mode.toString(8)} ${Buffer.from(found.content).toString('base64')}\n`;
		})
		.join('');
}

/** Rules that answer the file reads of every node of the spec. */
function answerFileReads(shell: FakeShell, copy: Copy, spec = specOf()): FakeShell {
	for (const host of installedOf(spec)) {
		shell.on('kubeha-file', {stdout: filesAnswer(host, copy)}, host.node);
	}

	return shell;
}

/**
A fake shell in front of the three-control-planes nodes, all healthy and with everything installed already.
`facts` changes what a node reports; `checksDelayMs` makes the in-place checks slow (to interrupt them); `copy`
gives the hosts' copies of their files (by default the installed ones).
*/
function installedCluster({
	facts = (text) => text,
	checksDelayMs = 0,
	copy = asInstalled,
}: {
	facts?: (text: string, node: NodeSpec) => string;
	checksDelayMs?: number;
	copy?: Copy;
} = {}): FakeShell {
	const spec = specOf();
	const shell = answerFileReads(new FakeShell(), copy, spec);
	for (const node of spec.nodes) {
		shell.on('@@kubeha:', {stdout: facts(factsOutput(spec, node), node)}, node.name);
	}

	return shell
		.on('cat /etc/kubernetes/admin.conf', {stdout: adminConf})
		.on('kubeha-missing: ', {stdout: '', delayMs: checksDelayMs})
		.on('kubeha_failed=0', {stdout: 'kubeha: ok: checked\n'});
}

/** Hosts that have nothing of kubeha's yet: every read finds no file, and nothing else is expected. */
const freshHosts = () => answerFileReads(new FakeShell(), () => undefined);

function dependencies(shell: Shell | undefined, overrides: Partial<SessionDependencies> = {}): SessionDependencies {
	return {
		...testConnectDependencies(shell),
		now: () => testNow,
		...overrides,
	};
}

const apply = (directory: string, options: Partial<ApplyOptions>, output: CommandOutput, deps: SessionDependencies) =>
	applyCommand({config: join(directory, 'cluster.yaml'), ...options}, output, deps);

/** The three-control-planes example installed once, so that a record of the applied files exists. */
async function installedWorkspace(): Promise<string> {
	const directory = workspace();
	assert.equal(await apply(directory, {yes: true}, collect(), dependencies(installedCluster())), 0);
	return directory;
}

/** cp2's haproxy.cfg with a line added by hand. */
const handEdited: Copy = (host, file) =>
	host === 'cp2' && file.path === '/etc/haproxy/haproxy.cfg'
		? {content: `${file.content}    # tuned by hand\n`, mode: file.mode}
		: asInstalled(host, file);

describe('kubeha apply --dry-run', () => {
	it("prints the plan, what each step would do on each host, and each host's files; changes nothing", async () => {
		const directory = workspace();
		const output = collect();
		const shell = freshHosts();
		const code = await apply(directory, {dryRun: true}, output, dependencies(shell));
		assert.equal(code, 0);
		const text = output.lines.join('\n');
		assert.match(
			text,
			/^cluster prod: Kubernetes 1\.37\.1, keepalived-haproxy \(systemd\), stacked etcd, endpoint 192\.168\.1\.94:8443, 5 nodes$/m,
		);
		assert.match(text, /^ *\d+\. join-control-planes {2}cp2, cp3$/m);
		assert.match(
			text,
			/^\d\d:\d\d:\d\d \[cp2\] write \/etc\/haproxy\/haproxy\.cfg \(0644\), checked first with `haproxy -c -f FILE`$/m,
		);
		assert.match(text, /^\d\d:\d\d:\d\d \[cp1\] cluster prod initialised on cp1 \(kubeadm init\)$/m);
		assert.match(text, /^\d\d:\d\d:\d\d dry run done in 0\.0 s$/m);
		assert.match(text, /^cp2: \d+ new, 0 unchanged$/m);
		assert.match(text, /^ {2}new: \/etc\/haproxy\/haproxy\.cfg$/m);
		assert.match(text, /^\(no earlier apply is recorded in .*\.kubeha\/applied, so a file changed by hand/m);
		assert.deepEqual(
			shell.calls.map((call) => call.host).sort(),
			['cp1', 'cp2', 'cp3', 'worker1', 'worker2'],
			'one read per host, nothing else',
		);
		assert.deepEqual(readdirSync(stateDirectoryFor(join(directory, 'cluster.yaml'))), [], 'no journal, log or record');
	});

	it('says "unchanged" for hosts that have every file as the spec renders it', async () => {
		const directory = await installedWorkspace();
		const output = collect();
		assert.equal(await apply(directory, {dryRun: true}, output, dependencies(installedCluster())), 0);
		const text = output.lines.join('\n');
		for (const host of ['cp1', 'cp2', 'cp3', 'worker1', 'worker2']) {
			assert.match(text, new RegExp(`^${host}: unchanged \\(\\d+ files\\)$`, 'm'));
		}

		assert.doesNotMatch(text, /DRIFT|no earlier apply/);
	});

	it('shows the files the spec changes as diffs from what the hosts have, secrets masked', async () => {
		const directory = await installedWorkspace();
		const spec = join(directory, 'cluster.yaml');
		writeFileSync(spec, readFileSync(spec, 'utf8').replace('statsPort: 1080', 'statsPort: 1081'));
		const output = collect();
		assert.equal(await apply(directory, {dryRun: true}, output, dependencies(installedCluster())), 0);
		const text = output.lines.join('\n');
		assert.match(text, /^cp1: 1 changed, \d+ unchanged$/m);
		assert.match(text, /^ {2}changed: \/etc\/haproxy\/haproxy\.cfg$/m);
		assert.match(text, /^--- cp1:\/etc\/haproxy\/haproxy\.cfg\ton the host now$/m);
		assert.match(text, /^- {4}bind \*:1080$/m);
		assert.match(text, /^\+ {4}bind \*:1081$/m);
		assert.match(text, /^worker1: unchanged/m);
		assert.doesNotMatch(text, /DRIFT/);
		assert.doesNotMatch(text, new RegExp(testSecrets.vrrpAuthPass));
	});

	it('calls out a file changed on a host since the last apply (drift), with the difference', async () => {
		const directory = await installedWorkspace();
		const output = collect();
		assert.equal(await apply(directory, {dryRun: true}, output, dependencies(installedCluster({copy: handEdited}))), 0);
		const text = output.lines.join('\n');
		assert.match(
			text,
			/^ {2}DRIFT: \/etc\/haproxy\/haproxy\.cfg on cp2 is not what kubeha last applied \(edited by hand, or by another tool\)/m,
		);
		assert.match(
			text,
			/^--- cp2:\/etc\/haproxy\/haproxy\.cfg\tlast applied\n\+\+\+ cp2:\/etc\/haproxy\/haproxy\.cfg\ton the host now$/m,
		);
		assert.match(text, /^\+ {4}# tuned by hand$/m);
		assert.match(text, /^ {2}applying puts the last applied copy back\.$/m);
		assert.match(
			text,
			/^drift: this file was changed on the host since kubeha last applied it: cp2:\/etc\/haproxy\/haproxy\.cfg$/m,
		);
		assert.match(text, /^cp3: unchanged/m);
	});

	it('compares a host it cannot read with the record instead, and says why', async () => {
		const directory = await installedWorkspace();
		const shell = installedCluster();
		shell.calls.length = 0;
		const unreachable = new FakeShell().on(
			'kubeha-file',
			{exitCode: 255, stderr: 'ssh: connect to host 192.168.1.93 port 22: No route to host\n'},
			'cp3',
		);
		const output = collect();
		const deps = dependencies(undefined, {
			openShell: async () => ({
				run: (host, script, options) => (host.name === 'cp3' ? unreachable : shell).run(host, script, options),
				close: async () => undefined,
			}),
		});
		assert.equal(await apply(directory, {dryRun: true}, output, deps), 0);
		assert.match(
			output.lines.join('\n'),
			/^cp3: unchanged \(\d+ files\) \(could not read its files: a command on cp3 exited with 255: ssh: connect to host 192\.168\.1\.93 port 22: No route to host\. 255 is what ssh returns/m,
		);
	});

	it("prints each host's files as one JSON object with --output json", async () => {
		const directory = await installedWorkspace();
		const output = collect();
		assert.equal(
			await apply(
				directory,
				{dryRun: true, output: 'json'},
				output,
				dependencies(installedCluster({copy: handEdited})),
			),
			0,
		);
		const hosts = output.lines
			.map((line) => JSON.parse(line) as {kind: string; host?: string; files?: FilePlan[]})
			.filter((line) => line.kind === 'host-files');
		assert.deepEqual(
			hosts.map((host) => host.host),
			['cp1', 'cp2', 'cp3', 'worker1', 'worker2'],
		);
		const haproxy = hosts[1]?.files?.find((file) => file.path === '/etc/haproxy/haproxy.cfg');
		assert.equal(haproxy?.status, 'changed');
		assert.match(haproxy?.drift ?? '', /^\+ {4}# tuned by hand$/m);
	});
});

describe('kubeha apply and drift', () => {
	it('stops with --yes when a host has drifted, before changing anything', async () => {
		const directory = await installedWorkspace();
		const shell = installedCluster({copy: handEdited});
		const output = collect();
		assert.equal(await apply(directory, {yes: true}, output, dependencies(shell)), 1);
		assert.match(
			output.lines.at(-1) ?? '',
			/^kubeha stopped before changing anything: cp2:\/etc\/haproxy\/haproxy\.cfg changed on the host since kubeha last applied it \(the difference is above\)\. .*run again with --overwrite-drift\.$/,
		);
		assert.ok(
			shell.calls.every((call) => call.script.includes('kubeha-file')),
			'only the files were read',
		);
	});

	it('overwrites drift with --overwrite-drift', async () => {
		const directory = await installedWorkspace();
		const output = collect();
		const shell = installedCluster({copy: handEdited});
		assert.equal(await apply(directory, {yes: true, overwriteDrift: true}, output, dependencies(shell)), 0);
		assert.match(output.lines.join('\n'), /^cluster prod is installed\./m);
	});

	it('asks in a terminal whether to overwrite drift, and stops on no', async () => {
		const directory = await installedWorkspace();
		const questions: string[] = [];
		const output = collect();
		const deps = dependencies(installedCluster({copy: handEdited}), {
			interactive: true,
			confirm: async (message) => {
				questions.push(message);
				return false;
			},
		});
		assert.equal(await apply(directory, {}, output, deps), 1);
		assert.deepEqual(questions, ['Overwrite cp2:/etc/haproxy/haproxy.cfg, changed on the host since the last apply?']);
		assert.equal(output.lines.at(-1), 'nothing was changed.');
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
		const shell = freshHosts();
		const deps = dependencies(shell, {
			interactive: true,
			confirm: async (message) => {
				questions.push(message);
				return false;
			},
		});
		assert.equal(await apply(workspace(), {}, output, deps), 1);
		assert.deepEqual(questions, ['Apply cluster prod to its 5 nodes?']);
		const text = output.lines.join('\n');
		assert.match(text, /^cluster prod: /m);
		assert.match(text, /^worker2: \d+ new, 0 unchanged$/m, 'the plan against the hosts comes before the question');
		assert.equal(output.lines.at(-1), 'nothing was changed.');
		assert.ok(
			shell.calls.every((call) => call.script.includes('kubeha-file')),
			'the hosts were only read',
		);
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

	it("prints the hosts' files and then each event as one JSON object with --output json, human words on stderr", async () => {
		const output = collect();
		assert.equal(await apply(workspace(), {yes: true, output: 'json'}, output, dependencies(installedCluster())), 0);
		const lines = output.lines.map((line) => JSON.parse(line) as {kind: string});
		assert.deepEqual(
			lines.slice(0, 6).map((line) => line.kind),
			[...Array.from({length: 5}, () => 'host-files'), 'run-start'],
		);
		const events = lines.slice(5) as RunEvent[];
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
		let options: Parameters<SessionDependencies['openShell']>[0] | undefined;
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
	it('parses its flags (--ssh-option repeated, --overwrite-drift)', async () => {
		const directory = workspace();
		const program = buildProgram(collect(), () => undefined);
		const argv = ['apply', '-c', join(directory, 'cluster.yaml'), '--overwrite-drift', '--concurrency', '0'];
		// An invalid --concurrency stops the command before it reaches any node; the flags are parsed by then.
		await assert.rejects(
			program.parseAsync([...argv, '--ssh-option', 'A=b', '--ssh-option', 'C=d'], {from: 'user'}),
			/--concurrency "0"/,
		);
		const options = program.commands.find((command) => command.name() === 'apply')?.opts();
		assert.equal(options?.['sshOption']?.length, 2);
		assert.equal(options?.['overwriteDrift'], true);
	});
});

describe('the wizard command line', () => {
	it('takes the connection flags before any command, for the install it hands over to', () => {
		const program = buildProgram(collect(), () => undefined);
		program.parseOptions(['--accept-new-host-keys', '--ssh-option', 'A=b', '--ssh-option', 'C=d']);
		assert.equal(program.opts()['acceptNewHostKeys'], true);
		assert.deepEqual(program.opts()['sshOption'], ['A=b', 'C=d']);
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

	it('summarises the plan', () => {
		const {spec, run} = stepHarness({example: 'external-load-balancer'});
		assert.match(planSummary(spec, installSteps(run)), /^ {2}5\. load-balancer {8}\(nothing to do for this spec\)$/m);
	});
});

describe('the file plan', () => {
	const spec = specOf();
	const expected = installedOf(spec);
	const masked = installedFiles(spec, renderCluster(spec, maskSecrets(testSecrets), templates));
	const placeholders = secretPlaceholders(testSecrets);
	const maskHost = (text: string, expectedMasked: string) =>
		maskHostCopy(text, expectedMasked, placeholders, redactor(testSecrets));
	const recordOf = (hosts: readonly HostFiles[]) =>
		new Map(hosts.map((host) => [host.node, new Map(host.files.map((file) => [file.path, file.content]))]));
	const copiesOf = (copy: Copy) =>
		new Map(
			expected.map((host) => [
				host.node,
				{copies: new Map(host.files.map((file) => [file.path, copy(host.node, file)] as const))},
			]),
		);
	const cp1 = (plans: HostFilePlan[]) => plans.find((plan) => plan.host === 'cp1');
	const keepalived = '/etc/keepalived/keepalived.conf';

	it('tells new, changed (content or mode) and unchanged files apart', () => {
		const plans = planFiles({
			expected,
			masked,
			applied: new Map(),
			maskHost,
			copies: copiesOf((host, file) =>
				file.path === '/etc/haproxy/haproxy.cfg'
					? undefined
					: file.path === keepalived
						? {content: file.content, mode: 0o644}
						: asInstalled(host, file),
			),
		});
		const files = cp1(plans)?.files ?? [];
		assert.equal(files.find((file) => file.path === '/etc/haproxy/haproxy.cfg')?.status, 'new');
		assert.deepEqual(
			files.find((file) => file.path === keepalived),
			{
				path: keepalived,
				status: 'changed',
				mode: {from: '0644', to: '0600'},
			},
		);
		assert.ok(files.filter((file) => file.status === 'unchanged').length > 3);
		assert.match(
			formatFilePlan(plans, '/s/applied', false),
			/^ {2}changed: \/etc\/keepalived\/keepalived\.conf \(mode 0644 → 0600\)$/m,
		);
		assert.match(formatFilePlan(plans, '/s/applied', false), /^worker1: unchanged \(\d+ files\)$/m);
	});

	it('shows the secrets of a host copy as placeholders, and another value as such, never the value', () => {
		const otherPassword = 'Zq8xW2pL';
		const foreignKey =
			'-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n';
		const plans = planFiles({
			expected,
			masked,
			applied: new Map(),
			maskHost,
			copies: copiesOf((host, file) =>
				file.path === keepalived && host === 'cp1'
					? {content: `${file.content.replace(testSecrets.vrrpAuthPass, otherPassword)}# by hand\n`, mode: file.mode}
					: file.path === '/etc/kubernetes/pki/ca.key'
						? {content: foreignKey, mode: file.mode}
						: asInstalled(host, file),
			),
		});
		const text = formatFilePlan(plans, '/s/applied', false);
		assert.match(text, /^- {8}auth_pass <secret:vrrp-auth-pass, another value>$/m);
		assert.match(text, /^\+ {8}auth_pass <secret:vrrp-auth-pass>$/m);
		assert.match(text, /^-<secret:cluster-ca-key, another value>$/m);
		for (const secret of [
			otherPassword,
			testSecrets.vrrpAuthPass,
			'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7',
		]) {
			assert.ok(!text.includes(secret), `${secret} is not shown`);
		}
	});

	it("hides a private key that is not the cluster's wherever it is", () => {
		const key =
			'-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBkzCOGPvxG8Zmj0wGRoAoGCCqGSM49\n-----END EC PRIVATE KEY-----';
		assert.equal(
			maskHostCopy(`global\n${key}\nend\n`, 'global\nend\n', placeholders, redactor(testSecrets)),
			'global\n<a private key that is not the spec’s>\nend\n',
		);
	});

	it("finds drift only where the host has neither the last applied copy nor the spec's", () => {
		const record = recordOf(masked);
		const edited: Copy = (host, file) =>
			host === 'cp1' && file.path === keepalived
				? {content: file.content.replace('advert_int 1', 'advert_int 2'), mode: file.mode}
				: asInstalled(host, file);
		const drifted = planFiles({expected, masked, applied: record, maskHost, copies: copiesOf(edited)});
		assert.deepEqual(driftedFiles(drifted), [`cp1:${keepalived}`]);
		const drift = cp1(drifted)?.files.find((file) => file.path === keepalived);
		assert.match(drift?.drift ?? '', /^- {4}advert_int 1$/m);
		assert.match(drift?.drift ?? '', /^\+ {4}advert_int 2$/m);
		assert.ok(!(drift?.drift ?? '').includes(testSecrets.vrrpAuthPass));
		assert.equal(drift?.diff, undefined, 'the spec renders what was last applied: the drift diff says it all');

		// A host that already has what the spec renders now (an apply that stopped after writing it) has no drift.
		const stale = recordOf(
			masked.map((host) => ({...host, files: host.files.map((file) => ({...file, content: `${file.content}old\n`}))})),
		);
		assert.deepEqual(
			driftedFiles(planFiles({expected, masked, applied: stale, maskHost, copies: copiesOf(asInstalled)})),
			[],
		);

		const deleted = planFiles({
			expected,
			masked,
			applied: record,
			maskHost,
			copies: copiesOf((host, file) =>
				host === 'cp1' && file.path === keepalived ? undefined : asInstalled(host, file),
			),
		});
		assert.match(
			formatFilePlan(deleted, '/s/applied', true),
			/^ {2}DRIFT: \/etc\/keepalived\/keepalived\.conf was deleted on cp1 since kubeha last applied it; applying writes it again\.$/m,
		);
	});
});

describe("reading the hosts' files", () => {
	it('reads content and mode of each path in one script, and tells missing files', async () => {
		const directory = mkdtempSync(join(tmpdir(), 'kubeha-read-'));
		const present = join(directory, 'a file');
		writeFileSync(present, "line 1\n\u00e9 'quoted' $HOME\n", {mode: 0o640});
		const empty = join(directory, 'empty');
		writeFileSync(empty, '', {mode: 0o600});
		const paths = [present, join(directory, 'missing'), empty, directory];
		const {stdout} = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', readFilesScript(paths)]);
		assert.deepEqual(
			parseFilesAnswer(paths, stdout),
			new Map([
				[present, {mode: 0o640, content: "line 1\n\u00e9 'quoted' $HOME\n"}],
				[join(directory, 'missing'), undefined],
				[empty, {mode: 0o600, content: ''}],
				[directory, undefined],
			]),
		);
		assert.throws(
			() => parseFilesAnswer(paths, 'kubeha-file absent\n'),
			/expected an answer for each of 4 files, got 1/,
		);
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
