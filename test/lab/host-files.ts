// Test fixture: a lab host's own files, prepared before the host starts. host-init.sh mounts each layer over the
// machine's directory of the same name, so a host sees the machine's files plus its own changes, and nobody else's.
import {randomBytes} from 'node:crypto';
import {chmodSync, chownSync, copyFileSync, lstatSync, mkdirSync, readdirSync, writeFileSync} from 'node:fs';
import {basename, dirname, join} from 'node:path';
import {generateKey} from './ssh-files.ts';
import {standInPackageFiles} from './stand-ins/lib/package-files.ts';
import {standInDirectory, standInMarker} from './stand-ins/lib/stand-in-commands.ts';

/**
Directories that get a per-host overlay: all a kubeadm install writes to (/etc/kubernetes, /etc/keepalived,
/etc/systemd/system, /var/lib/etcd, /var/lib/kubelet, /usr/local/bin, /opt/cni, /root/.kube…) lies below them.
/run and /tmp are fresh per host instead.
*/
const overlaidDirectories = ['etc', 'home', 'opt', 'root', 'srv', 'usr', 'var'];

const standInSources = join(import.meta.dirname, 'stand-ins');

export type HostFileInput = {
	name: string;
	directory: string;
	clientPublicKey: string;
	/** Every host of the lab, for the host's /etc/hosts. */
	peers: ReadonlyArray<{name: string; address: string}>;
};

function writeFile(path: string, content: string, mode = 0o644): void {
	mkdirSync(dirname(path), {recursive: true});
	writeFileSync(path, content, {mode});
	chmodSync(path, mode);
}

/** The upper layer of `/top` for one host: where a file written to `/top/…` inside the host ends up. */
export function upperLayer(directory: string, top: string): string {
	return join(directory, 'layers', top, 'upper');
}

function sshdConfig(): string {
	return `# kubeha lab host (test fixture), written by test/lab/host-files.ts
HostKey /etc/ssh/ssh_host_ed25519_key
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
AuthorizedKeysFile .ssh/authorized_keys
# PAM would want a real login session (systemd-logind, loginuid) that a lab host does not have.
UsePAM no
PrintMotd no
UseDNS no
PidFile /run/sshd.pid
# The product may open several connections per host at once.
MaxStartups 100
MaxSessions 100
Subsystem sftp /usr/lib/openssh/sftp-server
`;
}

/** Keeps Node's type-stripped code between calls: a stand-in then starts in a fraction of the time. */
const strippedCache = join(standInSources, 'lib', 'stripped-cache.mjs');

/**
Stand-ins for what kubeha installs from upstream release files, not from packages: they are not on a host until
an install puts them there, from the lab's artifact server (artifact-fixtures.ts packs them as the releases are).
*/
const installedFromReleases = new Set(['containerd']);

/**
A wrapper that runs `stand-ins/<command>.ts` with node (type stripping), with `environment` set: what a lab host
has in place of the command.
*/
export function standInScript(command: string, environment: Readonly<Record<string, string>> = {}): string {
	const source = join(standInSources, `${command}.ts`);
	if (`${process.execPath}${strippedCache}${source}${Object.values(environment).join('')}`.includes("'")) {
		throw new Error(`cannot quote ${source} in a shell script`);
	}
	const variables = Object.entries(environment).map(([name, value]) => `${name}='${value}' `);
	return `#!/bin/sh\n${standInMarker}\n# ${command} in this lab host is ${source}: see test/lab/README.md.\n${variables.join('')}exec '${process.execPath}' --import '${strippedCache}' '${source}' "$@"\n`;
}

/** One wrapper per `stand-ins/<command>.ts` that a host has from its start. */
function standInWrappers(): Array<{command: string; script: string}> {
	return readdirSync(standInSources)
		.filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
		.map((file) => basename(file, '.ts'))
		.filter((command) => !installedFromReleases.has(command))
		.map((command) => ({command, script: standInScript(command)}));
}

/** Writes the host's layers, /run, /tmp, ssh server files and stand-ins; returns the host's public host key. */
export function writeHostFiles({name, directory, clientPublicKey, peers}: HostFileInput): string {
	for (const top of overlaidDirectories) {
		const lower = `/${top}`;
		const stat = lstatSync(lower, {throwIfNoEntry: false});
		if (!stat?.isDirectory()) continue;
		const upper = upperLayer(directory, top);
		mkdirSync(upper, {recursive: true});
		mkdirSync(join(directory, 'layers', top, 'work'), {recursive: true});
		// The overlay's root takes its owner and mode from the upper layer: keep the machine's.
		chownSync(upper, stat.uid, stat.gid);
		chmodSync(upper, stat.mode & 0o7777);
	}
	mkdirSync(join(directory, 'run', 'sshd'), {recursive: true});
	mkdirSync(join(directory, 'run', 'lock'), {recursive: true});
	mkdirSync(join(directory, 'tmp'), {recursive: true});
	chmodSync(join(directory, 'tmp'), 0o1777);

	const etc = upperLayer(directory, 'etc');
	writeFile(join(etc, 'ssh', 'sshd_config'), sshdConfig());
	const hostKey = generateKey(join(etc, 'ssh', 'ssh_host_ed25519_key'), `root@${name}`);
	writeFile(join(etc, 'hostname'), `${name}\n`);
	writeFile(
		join(etc, 'hosts'),
		`127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n${peers.map((peer) => `${peer.address}\t${peer.name}\n`).join('')}`,
	);
	writeFile(join(etc, 'machine-id'), `${randomBytes(16).toString('hex')}\n`, 0o444);

	const root = upperLayer(directory, 'root');
	mkdirSync(join(root, '.ssh'), {recursive: true, mode: 0o700});
	writeFile(join(root, '.ssh', 'authorized_keys'), `${clientPublicKey}\n`, 0o600);
	// Root's shell files as on a fresh Debian server, not this machine's (whose PATH additions would come first).
	for (const file of ['.bashrc', '.profile']) {
		copyFileSync(join('/usr/share/base-files', `dot${file}`), join(root, file));
	}

	// standInDirectory is /usr/local/sbin, which lies in the /usr layer.
	const standIns = join(upperLayer(directory, 'usr'), standInDirectory.slice('/usr/'.length));
	for (const {command, script} of standInWrappers()) writeFile(join(standIns, command), script, 0o755);
	// What the packages the stand-ins stand for would have installed (unit files, /usr/bin links), so that
	// kubeha's checks find them in place, as after a package install.
	for (const file of standInPackageFiles) {
		const [, top = '', ...rest] = file.path.split('/');
		writeFile(join(upperLayer(directory, top), ...rest), file.content, file.mode);
	}
	return hostKey;
}
