import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {readFile, stat, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import {UserError} from '../../source/io/user-error.ts';
import {fingerprintOf, parseKeyscan, scanHostKeys} from '../../source/runner/host-keys.ts';
import {CommandError, type Shell} from '../../source/runner/shell.ts';
import {expandHome, openSshShell, type SshOptions, sshArguments} from '../../source/runner/ssh-shell.ts';
import {confirmHostKeys} from '../../source/session/known-hosts.ts';
import {type Sshd, sshdUnavailable, sshOptionsFor, startSshd} from '../helpers/sshd.ts';

describe('sshArguments', () => {
	it('checks host keys, never prompts, multiplexes, and leaves ~/.ssh/config and the agent in charge', () => {
		const options: SshOptions = {user: 'admin', port: 2222, identityFile: '~/.ssh/kube', knownHostsFile: '/k h/known'};
		assert.deepEqual(sshArguments(options, '/tmp/kubeha-ssh-x', '/home/op'), [
			'-T',
			'-o',
			'BatchMode=yes',
			'-o',
			'ConnectTimeout=10',
			'-o',
			'ServerAliveInterval=15',
			'-o',
			'ServerAliveCountMax=4',
			'-o',
			'StrictHostKeyChecking=yes',
			'-o',
			'ControlPath="/tmp/kubeha-ssh-x/%C"',
			'-o',
			'ControlPersist=600',
			'-o',
			'UserKnownHostsFile="/k h/known"',
			'-i',
			'/home/op/.ssh/kube',
			'-p',
			'2222',
			'-l',
			'admin',
		]);
	});

	it('uses another ssh config file only when asked', () => {
		const args = sshArguments({user: 'root', port: 22, configFile: '~/lab/ssh_config'}, '/c', '/home/op');
		assert.deepEqual(args.slice(args.indexOf('-F'), args.indexOf('-F') + 2), ['-F', '/home/op/lab/ssh_config']);
	});

	it('accepts new host keys only when asked', () => {
		const args = sshArguments({user: 'root', port: 22, acceptNewHostKeys: true}, '/c', '/root');
		assert.ok(args.includes('StrictHostKeyChecking=accept-new'));
		assert.ok(!args.some((arg) => arg.startsWith('UserKnownHostsFile') || arg === '-i' || arg === '-F'));
	});

	it('expands ~ like a shell', () => {
		assert.equal(expandHome('~', '/home/op'), '/home/op');
		assert.equal(expandHome('~/id', '/home/op'), '/home/op/id');
		assert.equal(expandHome('/etc/~x', '/home/op'), '/etc/~x');
	});
});

describe('host keys', () => {
	it('parses ssh-keyscan output and fingerprints keys as OpenSSH does', () => {
		const key = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
		const keys = parseKeyscan(`# 10.0.0.1:22 SSH-2.0-OpenSSH_9.2\n10.0.0.1 ssh-ed25519 ${key}\n\n`);
		assert.deepEqual(keys, [
			{type: 'ssh-ed25519', key, fingerprint: fingerprintOf(key), knownHostsLine: `10.0.0.1 ssh-ed25519 ${key}`},
		]);
		assert.match(fingerprintOf(key), /^SHA256:[A-Za-z\d+/]{43}$/);
	});

	it('says which host gave no key and what to check', async () => {
		// A port nothing listens on: connection refused on loopback, at once.
		await assert.rejects(
			scanHostKeys('127.0.0.1', 1, 2),
			/no SSH host key from 127\.0\.0\.1 port 1: .*Check that the node's address and ssh\.port/,
		);
	});
});

describe('confirmHostKeys', () => {
	it('names every node that offers no key, as a user error, before anything is touched', async () => {
		const said: string[] = [];
		await assert.rejects(
			confirmHostKeys({
				nodes: [{name: 'cp1', address: '127.0.0.1', roles: ['control-plane']}],
				// Port 1 on loopback: no known_hosts lists [127.0.0.1]:1, and the scan is refused at once.
				ssh: {user: 'root', port: 1},
				acceptNewHostKeys: false,
				interactive: false,
				confirm: async () => false,
				output: {out: (text) => said.push(text), err: (text) => said.push(text)},
			}),
			(error: Error) =>
				error instanceof UserError &&
				/cannot reach every node, so it changed nothing:\n {2}cp1: no SSH host key from 127\.0\.0\.1 port 1/.test(
					error.message,
				),
		);
		assert.deepEqual(said, []);
	});
});

describe('ssh shell against a real sshd', {skip: sshdUnavailable() ?? false}, () => {
	let sshd: Sshd;
	const shells: Shell[] = [];
	const host = {name: 'sshd', address: '127.0.0.1'};
	const open = async (options: Partial<SshOptions> = {}) => {
		const shell = await openSshShell({...sshOptionsFor(sshd), ...options});
		shells.push(shell);
		return shell;
	};

	before(async () => {
		sshd = await startSshd();
	});
	after(async () => {
		await Promise.all(shells.map((shell) => shell.close()));
		await sshd?.stop();
	});

	it('offers the server’s key with the fingerprint ssh-keygen shows', async () => {
		const keys = await scanHostKeys(sshd.address, sshd.port);
		const ed25519 = keys.find((key) => key.type === 'ssh-ed25519');
		assert.ok(ed25519);
		assert.equal(`${ed25519.type} ${ed25519.key}`, sshd.hostPublicKey);
		const keygen = execFileSync('ssh-keygen', ['-lf', '-'], {input: sshd.hostPublicKey, encoding: 'utf8'});
		assert.equal(ed25519.fingerprint, keygen.split(' ')[1]);
		assert.equal(ed25519.knownHostsLine, `[127.0.0.1]:${sshd.port} ${sshd.hostPublicKey}`);
	});

	it('refuses a host whose key it does not know, and trusts it on first use only when asked', async () => {
		const knownHosts = join(sshd.directory, 'empty_known_hosts');
		await writeFile(knownHosts, '');
		const strict = await open({knownHostsFile: knownHosts});
		await assert.rejects(strict.run(host, 'true'), (error: unknown) => {
			assert.ok(error instanceof CommandError);
			assert.equal(error.exitCode, 255);
			assert.match(error.message, /Host key verification failed/);
			return true;
		});
		assert.equal(await readFile(knownHosts, 'utf8'), '');

		const trusting = await open({knownHostsFile: knownHosts, acceptNewHostKeys: true});
		assert.equal((await trusting.run(host, 'echo trusted')).stdout, 'trusted\n');
		// ssh may hash the name (HashKnownHosts): ask ssh-keygen which key it recorded for the host.
		const recorded = execFileSync('ssh-keygen', ['-F', `[127.0.0.1]:${sshd.port}`, '-f', knownHosts], {
			encoding: 'utf8',
		});
		assert.ok(recorded.includes(sshd.hostPublicKey), recorded);
	});

	it('refuses a host whose key changed, even when accepting new keys', async () => {
		const knownHosts = join(sshd.directory, 'wrong_known_hosts');
		const otherKey = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
		await writeFile(knownHosts, `[127.0.0.1]:${sshd.port} ssh-ed25519 ${otherKey}\n`);
		const shell = await open({knownHostsFile: knownHosts, acceptNewHostKeys: true});
		await assert.rejects(shell.run(host, 'true'), /exited with 255/);
	});

	it('runs every command of a shell over one connection, also when they start together', async () => {
		const before = await sshd.acceptedLogins();
		const shell = await open();
		const parallel = await Promise.all(
			[1, 2, 3, 4].map((n) => shell.run(host, `echo ${n}`).then((result) => result.stdout)),
		);
		assert.deepEqual(parallel, ['1\n', '2\n', '3\n', '4\n']);
		for (const n of [5, 6, 7]) {
			assert.equal((await shell.run(host, `echo ${n}`)).stdout, `${n}\n`);
		}

		assert.equal((await sshd.acceptedLogins()) - before, 1);
	});

	it('keeps its control socket in a private directory and ends the master on close', async () => {
		const shell = await openSshShell(sshOptionsFor(sshd));
		const others = masterProcesses(sshd.port).map(({pid}) => pid);
		await shell.run(host, 'true');
		const master = masterProcesses(sshd.port).find(({pid}) => !others.includes(pid));
		assert.ok(master, 'no master ssh process');
		const controlDirectory = /ControlPath=(?:")?([^"\s]+)\/%C/.exec(master.args)?.[1];
		assert.ok(controlDirectory);
		assert.equal((await stat(controlDirectory)).mode & 0o777, 0o700);

		await shell.close();
		for (let attempt = 0; attempt < 30 && processExists(master.pid); attempt++) {
			await sleep(100);
		}

		assert.equal(processExists(master.pid), false, 'the master connection outlived close()');
		await assert.rejects(stat(controlDirectory), {code: 'ENOENT'});
	});
});

/** The background master connections to this port: `ssh … -N -f`, started by openSshShell. */
function masterProcesses(port: number): {pid: number; args: string}[] {
	return execFileSync('ps', ['-eo', 'pid=,args='], {encoding: 'utf8'})
		.split('\n')
		.map((line) => /^\s*(\d+)\s+(.*)$/.exec(line))
		.flatMap((match) => (match?.[1] && match[2] ? [{pid: Number(match[1]), args: match[2]}] : []))
		.filter(({args}) => args.startsWith('ssh ') && args.includes(' -N -f ') && args.includes(`-p ${port} `));
}

function processExists(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}
