import {mkdtemp, rm} from 'node:fs/promises';
import {homedir, tmpdir} from 'node:os';
import {join} from 'node:path';
import {$} from 'zx';
import {checkExit, type Shell, type ShellHost} from './shell.ts';
import {spawnScript} from './spawn-script.ts';

/** How to reach the hosts: the spec's `ssh` section plus what the operator decides at run time. */
export type SshOptions = {
	readonly user: string;
	readonly port: number;
	/** Private key; `~` is the operator's home. The agent and ~/.ssh/config apply either way. */
	readonly identityFile?: string;
	/** Trust a host seen for the first time and record its key (confirm it first: see `scanHostKeys`). */
	readonly acceptNewHostKeys?: boolean;
	/** A known_hosts file instead of ~/.ssh/known_hosts. */
	readonly knownHostsFile?: string;
	/** An ssh config file instead of ~/.ssh/config (`-F`); by default the operator's own applies. */
	readonly configFile?: string;
	readonly connectTimeoutSeconds?: number;
	/** Run scripts through `sudo -n` (password-less sudo). Default: when the user is not root. */
	readonly sudo?: boolean;
};

/**
How long an idle master connection outlives its last command: longer than the pauses between one host's steps
during an install, short enough that a run that died without `close()` leaves nothing behind for long.
*/
const controlPersistSeconds = 600;

/** `~` and `~/…` in the operator's paths, as a shell would expand them. */
export const expandHome = (path: string, home: string): string =>
	path === '~' ? home : path.startsWith('~/') ? join(home, path.slice(2)) : path;

/**
The ssh options every connection uses: batch mode (never a prompt), host keys checked, one multiplexed master
per host. Nothing disables ~/.ssh/config (unless configFile names another), the agent or jump hosts: the
operator's setup applies. Paths in option values are double-quoted because ssh splits values on spaces.
*/
export function sshArguments(options: SshOptions, controlDirectory: string, home: string): string[] {
	const option = (value: string) => ['-o', value];
	return [
		'-T',
		...option('BatchMode=yes'),
		...option(`ConnectTimeout=${options.connectTimeoutSeconds ?? 10}`),
		...option('ServerAliveInterval=15'),
		...option('ServerAliveCountMax=4'),
		...option(`StrictHostKeyChecking=${options.acceptNewHostKeys ? 'accept-new' : 'yes'}`),
		...option(`ControlPath="${join(controlDirectory, '%C')}"`),
		...option(`ControlPersist=${controlPersistSeconds}`),
		...(options.knownHostsFile ? option(`UserKnownHostsFile="${options.knownHostsFile}"`) : []),
		...(options.configFile ? ['-F', expandHome(options.configFile, home)] : []),
		...(options.identityFile ? ['-i', expandHome(options.identityFile, home)] : []),
		'-p',
		String(options.port),
		'-l',
		options.user,
	];
}

/**
A Shell that runs scripts as `ssh … <address> bash -s`, the script on stdin. The first command to a host opens
its master connection (alone, so parallel first commands cannot race to open several); later commands reuse
it. The control sockets live in a private directory (0700) made for this shell.
*/
export async function openSshShell(options: SshOptions): Promise<Shell> {
	// Unix socket paths are limited to ~104 bytes; a long TMPDIR (macOS) plus the 40-character %C would not fit.
	const base = tmpdir().length > 40 ? '/tmp' : tmpdir();
	const controlDirectory = await mkdtemp(join(base, 'kubeha-ssh-'));
	const common = sshArguments(options, controlDirectory, homedir());
	const remoteCommand = (options.sudo ?? options.user !== 'root') ? ['sudo', '-n', 'bash', '-s'] : ['bash', '-s'];
	const masters = new Map<string, Promise<void>>();

	const openMaster = async (host: ShellHost, signal?: AbortSignal) => {
		const argv = ['ssh', ...common, '-o', 'ControlMaster=yes', '-N', '-f', host.address];
		const output = await $({nothrow: true, quiet: true, verbose: false, signal})`${argv}`;
		checkExit(host, {stdout: output.stdout, stderr: output.stderr, exitCode: output.exitCode ?? 255}, {});
	};

	const ensureMaster = (host: ShellHost, signal?: AbortSignal) => {
		let master = masters.get(host.address);
		if (!master) {
			master = openMaster(host, signal);
			// A failed connection is not remembered: the next command tries again.
			master.catch(() => masters.delete(host.address));
			masters.set(host.address, master);
		}

		return master;
	};

	return {
		async run(host, script, commandOptions = {}) {
			await ensureMaster(host, commandOptions.signal);
			const argv = ['ssh', ...common, '-o', 'ControlMaster=auto', host.address, ...remoteCommand];
			return spawnScript(argv, host, script, commandOptions);
		},
		async close() {
			await Promise.all(
				[...masters.keys()].map((address) => $({nothrow: true, quiet: true})`ssh ${common} -O exit ${address}`),
			);
			masters.clear();
			await rm(controlDirectory, {recursive: true, force: true});
		},
	};
}
