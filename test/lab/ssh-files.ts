// Test fixture: the lab's ssh keys, known_hosts and ssh_config, so that ssh into a lab host works with strict host
// key checking, as the product uses it.
import {execFileSync} from 'node:child_process';
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';

export type SshFiles = {identityFile: string; knownHostsFile: string; configFile: string; options: string[]};

/** Creates an ed25519 key pair without a passphrase at `path` (+ `.pub`) and returns the public key line. */
export function generateKey(path: string, comment: string): string {
	mkdirSync(dirname(path), {recursive: true});
	execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path], {stdio: 'ignore'});
	return readFileSync(`${path}.pub`, 'utf8').trim();
}

export function sshFilePaths(slotDirectory: string): SshFiles {
	const directory = join(slotDirectory, 'ssh');
	const identityFile = join(directory, 'id_ed25519');
	const knownHostsFile = join(directory, 'known_hosts');
	return {
		identityFile,
		knownHostsFile,
		configFile: join(directory, 'ssh_config'),
		options: [
			'-i',
			identityFile,
			'-o',
			'IdentitiesOnly=yes',
			'-o',
			`UserKnownHostsFile=${knownHostsFile}`,
			'-o',
			'GlobalKnownHostsFile=/dev/null',
			'-o',
			'StrictHostKeyChecking=yes',
			'-o',
			'BatchMode=yes',
			'-o',
			'ConnectTimeout=5',
		],
	};
}

type KnownHost = {name: string; address: string; hostKey: string};

/** known_hosts lists each host by name and address; ssh_config maps the names to addresses for `ssh -F`. */
export function writeClientFiles(files: SshFiles, hosts: readonly KnownHost[]): void {
	const knownHosts = hosts.map(({name, address, hostKey}) => {
		const [type, key] = hostKey.split(' ');
		return `${name},${address} ${type} ${key}\n`;
	});
	writeFileSync(files.knownHostsFile, knownHosts.join(''));
	const config = [
		'# kubeha lab (test fixture), written by test/lab/lab.ts. Use: ssh -F <this file> lab-h1',
		...hosts.flatMap(({name, address}) => [`Host ${name}`, `\tHostName ${address}`]),
		`Host ${hosts.map(({name, address}) => `${name} ${address}`).join(' ')}`,
		'\tUser root',
		`\tIdentityFile ${files.identityFile}`,
		'\tIdentitiesOnly yes',
		`\tUserKnownHostsFile ${files.knownHostsFile}`,
		'\tGlobalKnownHostsFile /dev/null',
		'\tStrictHostKeyChecking yes',
		'\tBatchMode yes',
		'\tConnectTimeout 5',
	];
	writeFileSync(files.configFile, `${config.join('\n')}\n`);
}
