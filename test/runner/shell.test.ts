import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtemp, readFile, rm, stat} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import {createLocalShell} from '../../source/runner/local-shell.ts';
import {wrapScript} from '../../source/runner/script-wrapper.ts';
import {bindShell, CommandError, type Shell, type ShellHost, sh} from '../../source/runner/shell.ts';
import {openSshShell} from '../../source/runner/ssh-shell.ts';
import {previousVersionPath, writeFile, writeFileScript} from '../../source/runner/write-file.ts';
import {sshdUnavailable, sshOptionsFor, startSshd} from '../helpers/sshd.ts';

/** A shell under test, the host to give it, and a directory on that host (this machine) for files. */
type Subject = {shell: Shell; host: ShellHost; scratch: string; stop(): Promise<void>};

const variants: {name: string; skip: string | false; open(): Promise<Subject>}[] = [
	{
		name: 'local shell',
		skip: false,
		async open() {
			const scratch = await mkdtemp(join(tmpdir(), 'kubeha-local-shell-'));
			const shell = createLocalShell();
			return {shell, host: {name: 'local', address: ''}, scratch, stop: () => rm(scratch, {recursive: true})};
		},
	},
	{
		name: 'ssh shell against a real sshd',
		skip: sshdUnavailable() ?? false,
		async open() {
			const sshd = await startSshd();
			try {
				const shell = await openSshShell(sshOptionsFor(sshd));
				const stop = async () => {
					await shell.close();
					await sshd.stop();
				};

				return {shell, host: {name: 'sshd', address: sshd.address}, scratch: sshd.directory, stop};
			} catch (error) {
				await sshd.stop();
				throw error;
			}
		},
	},
];

/** Whether any process on this machine (where both shells run their scripts) has this in its command line. */
const processRuns = (text: string) =>
	execFileSync('ps', ['-eo', 'args='], {encoding: 'utf8'})
		.split('\n')
		.some((args) => args.includes(text));

for (const variant of variants) {
	describe(variant.name, {skip: variant.skip}, () => {
		let subject: Subject;
		before(async () => {
			subject = await variant.open();
		});
		after(() => subject?.stop());
		const run = (script: string, options = {}) => subject.shell.run(subject.host, script, options);

		it('returns stdout, stderr and the exit code', async () => {
			const result = await run('echo out; echo err >&2; exit 3', {nothrow: true});
			assert.deepEqual(result, {stdout: 'out\n', stderr: 'err\n', exitCode: 3});
		});

		it('rejects with a CommandError naming the host and exit code unless nothrow', async () => {
			await assert.rejects(run('echo "it broke" >&2; exit 7'), (error: unknown) => {
				assert.ok(error instanceof CommandError);
				assert.equal(error.exitCode, 7);
				assert.equal(error.message, `a command on ${subject.host.name} exited with 7: it broke`);
				return true;
			});
		});

		it('runs with set -e: a failing command ends the script', async () => {
			const result = await run('false\necho not reached', {nothrow: true});
			assert.deepEqual(result, {stdout: '', stderr: '', exitCode: 1});
		});

		it('runs with set -u: an unset variable is an error', async () => {
			const result = await run('echo "$KUBEHA_NEVER_SET"\necho not reached', {nothrow: true});
			assert.notEqual(result.exitCode, 0);
			assert.match(result.stderr, /KUBEHA_NEVER_SET: unbound variable/);
			assert.equal(result.stdout, '');
		});

		it('runs with pipefail: a failure inside a pipeline fails it', async () => {
			const result = await run('false | true\necho not reached', {nothrow: true});
			assert.equal(result.exitCode, 1);
			assert.equal(result.stdout, '');
		});

		it('streams complete lines of both streams as they come, a last unterminated line included', async () => {
			const lines: string[] = [];
			await run('echo one; echo two >&2; sleep 0.2; printf three', {
				onLine: (line: string, stream: string) => lines.push(`${stream}:${line}`),
			});
			assert.deepEqual(lines.sort(), ['stderr:two', 'stdout:one', 'stdout:three']);
		});

		it('feeds input to the script unchanged, and an empty stdin without it', async () => {
			const input = `quotes ' " \`$HOME\` \\ and no final newline\n\tsecond`;
			assert.equal((await run('cat', {input})).stdout, input);
			assert.equal((await run('cat')).stdout, '');
		});

		it('exports env values unchanged and refuses names that are not variable names', async () => {
			const value = `a b 'c' "d" $HOME \`id\``;
			assert.equal((await run('printf %s "$KUBEHA_VALUE"', {env: {KUBEHA_VALUE: value}})).stdout, value);
			await assert.rejects(run('true', {env: {'BAD NAME': 'x'}}), /"BAD NAME" is not a shell variable name/);
		});

		it('passes awkward arguments quoted by sh`` as one word each', async () => {
			const args = ['two words', "it's", 'say "hi"', '$HOME', '`id`', '; rm -rf /', '', 'tab\there'];
			const {stdout} = await run(sh`printf '[%s]\n' ${args}`);
			assert.equal(stdout, args.map((arg) => `[${arg}]\n`).join(''));
		});

		it('on abort, rejects with the reason and ends the running script', async () => {
			const marker = join(subject.scratch, 'not-after-abort');
			const sleeper = `sleep 30.${process.pid}${variant.name.length}`;
			const controller = new AbortController();
			const result = run(`echo started\n${sleeper}\ntouch ${marker}`, {
				signal: controller.signal,
				onLine: (line: string) => line === 'started' && controller.abort(new Error('operator pressed Ctrl-C')),
			});
			await assert.rejects(result, /operator pressed Ctrl-C/);
			for (let attempt = 0; attempt < 50 && processRuns(sleeper); attempt++) {
				await sleep(100);
			}

			assert.equal(processRuns(sleeper), false, `${sleeper} still runs 5 s after the abort`);
			await assert.rejects(stat(marker), {code: 'ENOENT'});
		});

		it('refuses to start when the signal is already aborted', async () => {
			await assert.rejects(run('true', {signal: AbortSignal.abort(new Error('too late'))}), /too late/);
		});

		describe('writeFile', () => {
			const fileIn = (name: string) => join(subject.scratch, 'a dir', `sub 'dir'`, name);
			const hostShell = () => bindShell(subject.shell, subject.host);

			it('creates parent directories and writes content and mode exactly', async () => {
				const path = fileIn('new.conf');
				const content = 'line $one\n\'two\' "three"\n\u00e9\n';
				assert.equal(await writeFile(hostShell(), {path, content, mode: 0o640}), true);
				assert.equal(await readFile(path, 'utf8'), content);
				assert.equal((await stat(path)).mode & 0o7777, 0o640);
				await assert.rejects(stat(previousVersionPath(path)), {code: 'ENOENT'});
			});

			it('touches nothing when content and mode are unchanged', async () => {
				const path = fileIn('same.conf');
				await writeFile(hostShell(), {path, content: 'same\n', mode: 0o600});
				const before = await stat(path);
				assert.equal(await writeFile(hostShell(), {path, content: 'same\n', mode: 0o600}), false);
				const after = await stat(path);
				assert.equal(after.ino, before.ino);
				assert.equal(after.mtimeMs, before.mtimeMs);
			});

			it('replaces by rename, keeping the previous version', async () => {
				const path = fileIn('changed.conf');
				await writeFile(hostShell(), {path, content: 'old\n', mode: 0o644});
				const before = await stat(path);
				assert.equal(await writeFile(hostShell(), {path, content: 'new\n', mode: 0o644}), true);
				assert.equal(await readFile(path, 'utf8'), 'new\n');
				assert.equal(await readFile(previousVersionPath(path), 'utf8'), 'old\n');
				assert.notEqual((await stat(path)).ino, before.ino, 'a new inode: the file was renamed into place');
			});

			it('fixes a wrong mode in place and says the file changed', async () => {
				const path = fileIn('mode.conf');
				await writeFile(hostShell(), {path, content: 'x\n', mode: 0o644});
				assert.equal(await writeFile(hostShell(), {path, content: 'x\n', mode: 0o600}), true);
				assert.equal((await stat(path)).mode & 0o7777, 0o600);
			});

			it('sets the owner when asked', {
				skip: process.getuid?.() !== 0 && 'chown needs root: run the tests as root',
			}, async () => {
				const path = fileIn('owned.conf');
				assert.equal(await writeFile(hostShell(), {path, content: 'x\n', mode: 0o644, owner: 'nobody:nogroup'}), true);
				const {uid} = await stat(path);
				assert.equal(uid, Number(execFileSync('id', ['-u', 'nobody'], {encoding: 'utf8'})));
				assert.equal(await writeFile(hostShell(), {path, content: 'x\n', mode: 0o644, owner: 'nobody:nogroup'}), false);
			});
		});
	});
}

describe('the text a shell feeds to bash -s', () => {
	it('starts with set -euo pipefail and carries input as base64, not as text', () => {
		const text = wrapScript('cat', {input: 'secret input'});
		assert.equal(text.split('\n')[0], 'set -euo pipefail');
		assert.ok(!text.includes('secret input'));
		assert.ok(text.includes(Buffer.from('secret input').toString('base64')));
	});

	it('writes files from base64 inside the script and refuses relative paths', () => {
		const script = writeFileScript({path: '/etc/x.conf', content: 'password=abc', mode: 0o600});
		assert.ok(!script.includes('password=abc'));
		assert.ok(script.includes(Buffer.from('password=abc').toString('base64')));
		assert.throws(
			() => writeFileScript({path: 'etc/x.conf', content: '', mode: 0o600}),
			/file path "etc\/x.conf" is not absolute/,
		);
	});
});
