import {type ChildProcess, execFileSync, spawn} from 'node:child_process';
import {once} from 'node:events';
import {accessSync, constants} from 'node:fs';
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import type {SshOptions} from '../../source/runner/ssh-shell.ts';

const sshdPath = '/usr/sbin/sshd';

/** A real OpenSSH server on 127.0.0.1 for tests, with its own keys; root logs in with the client key. */
export type Sshd = {
	readonly address: '127.0.0.1';
	readonly port: number;
	/** Private key whose public half is in the server's authorized_keys. */
	readonly clientKey: string;
	/** A known_hosts file that holds this server's key. */
	readonly knownHosts: string;
	/** The server's public key: `ssh-ed25519 AAAA…`. */
	readonly hostPublicKey: string;
	/** A scratch directory for the test, removed with the server. */
	readonly directory: string;
	/** How many logins the server accepted so far (from its VERBOSE log). */
	acceptedLogins(): Promise<number>;
	stop(): Promise<void>;
};

/** Why the real-SSH tests cannot run here, or undefined when they can. */
export function sshdUnavailable(): string | undefined {
	if (process.getuid?.() !== 0) {
		return 'needs root: sshd must run as root to let a key log in as root; run the tests as root';
	}

	for (const program of [sshdPath, '/usr/bin/ssh', '/usr/bin/ssh-keygen', '/usr/bin/ssh-keyscan']) {
		try {
			accessSync(program, constants.X_OK);
		} catch {
			return `${program} is missing: apt-get install -y openssh-server openssh-client`;
		}
	}

	return undefined;
}

async function freePort(): Promise<number> {
	const server = createServer().listen(0, '127.0.0.1');
	await once(server, 'listening');
	const address = server.address();
	server.close();
	await once(server, 'close');
	if (address === null || typeof address === 'string') {
		throw new Error('no TCP port for sshd');
	}

	return address.port;
}

const keygen = (file: string) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', file]);

/** Starts sshd and waits (at most 5 s) until it listens. Call stop() in an after hook. */
export async function startSshd(): Promise<Sshd> {
	const directory = await mkdtemp(join(tmpdir(), 'kubeha-sshd-'));
	let server: ChildProcess | undefined;
	try {
		const file = (name: string) => join(directory, name);
		keygen(file('host_key'));
		keygen(file('client_key'));
		const hostPublicKey = (await readFile(file('host_key.pub'), 'utf8')).trim();
		await writeFile(file('authorized_keys'), await readFile(file('client_key.pub')), {mode: 0o600});
		const port = await freePort();
		await writeFile(file('known_hosts'), `[127.0.0.1]:${port} ${hostPublicKey}\n`);
		await writeFile(
			file('sshd_config'),
			[
				'ListenAddress 127.0.0.1',
				`Port ${port}`,
				`HostKey ${file('host_key')}`,
				`PidFile ${file('sshd.pid')}`,
				`AuthorizedKeysFile ${file('authorized_keys')}`,
				'PermitRootLogin prohibit-password',
				'PasswordAuthentication no',
				'KbdInteractiveAuthentication no',
				'UsePAM no',
				// The temporary directory sits under /tmp, which is world-writable: strict modes would refuse its keys.
				'StrictModes no',
				'LogLevel VERBOSE',
				'',
			].join('\n'),
		);
		// sshd refuses to start without its privilege separation directory.
		await mkdir('/run/sshd', {recursive: true, mode: 0o755});
		const log = file('sshd.log');
		server = spawn(sshdPath, ['-D', '-f', file('sshd_config'), '-E', log], {stdio: 'ignore'});
		await waitUntilListening(server, log);
		await mkdir(file('scratch'));
		const running = server;
		return {
			address: '127.0.0.1',
			port,
			clientKey: file('client_key'),
			knownHosts: file('known_hosts'),
			hostPublicKey,
			directory: file('scratch'),
			acceptedLogins: async () => (await readFile(log, 'utf8')).match(/Accepted publickey for root/g)?.length ?? 0,
			stop: () => stop(running, directory),
		};
	} catch (error) {
		await stop(server, directory);
		throw error;
	}
}

async function waitUntilListening(server: ChildProcess, log: string): Promise<void> {
	for (let attempt = 0; attempt < 50; attempt++) {
		const text = await readFile(log, 'utf8').catch(() => '');
		if (text.includes('Server listening on 127.0.0.1')) {
			return;
		}

		if (server.exitCode !== null) {
			throw new Error(`sshd exited with ${server.exitCode}:\n${text}`);
		}

		await sleep(100);
	}

	throw new Error(`sshd did not listen within 5 s:\n${await readFile(log, 'utf8').catch(() => '')}`);
}

/** Ends the server and the per-connection processes it forked (by their ids), then removes its files. */
async function stop(server: ChildProcess | undefined, directory: string): Promise<void> {
	if (server?.pid !== undefined && server.exitCode === null) {
		for (const pid of childrenOf(server.pid)) {
			try {
				process.kill(pid, 'SIGTERM');
			} catch {
				// Already gone.
			}
		}

		const exited = once(server, 'exit');
		server.kill('SIGTERM');
		await Promise.race([exited, sleep(5000)]);
	}

	await rm(directory, {recursive: true, force: true});
}

function childrenOf(pid: number): number[] {
	try {
		return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], {encoding: 'utf8'})
			.split('\n')
			.filter((line) => line.trim() !== '')
			.map(Number);
	} catch {
		// ps exits 1 when there are none.
		return [];
	}
}

/** The ssh options that reach this server as root, with its client key and a known_hosts that trusts it. */
export const sshOptionsFor = (sshd: Sshd): SshOptions => ({
	user: 'root',
	port: sshd.port,
	identityFile: sshd.clientKey,
	knownHostsFile: sshd.knownHosts,
});
