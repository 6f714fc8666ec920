// Test fixture: a lab of "servers" on this machine for end-to-end tests of kubeha. Each host is a network namespace on
// one bridge with its own files (overlays), /run, /tmp, hostname, PID namespace and sshd; see test/lab/README.md.
import {randomUUID} from 'node:crypto';
import {constants} from 'node:os';
import {join} from 'node:path';
import {labAvailable} from './availability.ts';
import {writeHostFiles} from './host-files.ts';
import {
	type ExecOptions,
	type ExecResult,
	execInHost,
	runProcess,
	startHostProcess,
	waitForSsh,
} from './host-process.ts';
import {
	hostAddress,
	hostInterface,
	hostName,
	labAddress,
	maxHosts,
	namespaceName,
	prefixLength,
	slotDirectory,
} from './names.ts';
import {createBridge, createHostNetwork} from './network.ts';
import {claimSlot, currentOwner, releaseSlot} from './slots.ts';
import {generateKey, sshFilePaths, writeClientFiles} from './ssh-files.ts';

export {type LabAvailability, labAvailable} from './availability.ts';
export type {ExecOptions, ExecResult} from './host-process.ts';

export type LabHost = {
	/** The host's hostname, also its name in the lab's known_hosts, ssh_config and every host's /etc/hosts. */
	name: string;
	/** Its address on the lab network, reachable from the test runner. */
	address: string;
	/** Its interface on the lab network (the same name on every host). */
	interface: string;
	/** Its network namespace, for `ip netns exec` from the root namespace. */
	namespace: string;
	/** Its files: `layers/<top>/upper` holds what was written below `/<top>`, `run/` and `tmp/` are its /run and /tmp. */
	directory: string;
};

export type Lab = {
	/** Which of the lab slots this lab has; slot n uses the network 198.18.(n-1).0/24. */
	slot: number;
	hosts: LabHost[];
	/** The lab's network in CIDR notation, e.g. 198.18.0.0/24. */
	network: string;
	/** The root namespace's address on the lab network (the bridge). */
	gateway: string;
	/** Another address in the lab's network, e.g. `address(100)` for a VIP; hosts use .11 upwards. */
	address(lastOctet: number): string;
	/** Private key (ed25519, no passphrase) that every host accepts for root. */
	identityFile: string;
	/** known_hosts with every host's key under its name and address: use with StrictHostKeyChecking=yes. */
	knownHostsFile: string;
	/** An ssh_config for `ssh -F <file> lab-h1`. */
	sshConfigFile: string;
	/** ssh options for `ssh <options> root@<address>`: identity, known_hosts, strict checking, batch mode. */
	sshOptions: readonly string[];
	/** The lab's directory (keys, hosts' files, console logs). */
	directory: string;
	/** Runs `command` with bash inside the host, as root, for test assertions; never throws on a non-zero exit. */
	exec(host: LabHost | string, command: string, options?: ExecOptions): Promise<ExecResult>;
	/** Writes a file inside the host (creating its directory), as root, for test setup. */
	writeFile(host: LabHost | string, path: string, content: string, mode?: number): Promise<void>;
	/** Runs `command` on the host over real ssh (`ssh <sshOptions> root@<address> command`), the way the product does. */
	ssh(host: LabHost | string, command: string, options?: ExecOptions): Promise<ExecResult>;
	/** Kills everything in the lab and deletes its namespaces, links, mounts and files. */
	stop(): Promise<void>;
};

export type StartOptions = {
	hosts: number;
	/** A particular slot (it must not be in use); by default the first free one. */
	slot?: number;
	/** For `lab.sh up`: the lab outlives this process until `lab.sh down` (no exit handler deletes it). */
	persistent?: boolean;
};

const exitSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
Deletes the lab when this process exits or is interrupted, if the test did not stop it: SIGKILL cannot be caught,
so a killed process leaves the lab behind for the next start to clean up.
*/
function stopOnExit(stopNow: () => void): () => void {
	const onSignal = (signal: NodeJS.Signals) => {
		stopNow();
		process.exit(128 + constants.signals[signal]);
	};
	process.on('exit', stopNow);
	for (const signal of exitSignals) process.on(signal, onSignal);
	return () => {
		process.off('exit', stopNow);
		for (const signal of exitSignals) process.off(signal, onSignal);
	};
}

export async function startLab({hosts: count, slot: requested, persistent = false}: StartOptions): Promise<Lab> {
	if (!Number.isInteger(count) || count < 1 || count > maxHosts) {
		throw new Error(`startLab: hosts is ${count}; it must be a whole number from 1 to ${maxHosts}`);
	}
	const availability = labAvailable();
	if (!availability.ok) throw new Error(`startLab: the lab cannot run here: ${availability.reason}`);
	const token = randomUUID();
	const slot = await claimSlot(currentOwner(token, persistent), requested);
	let stopped = false;
	const stopNow = () => {
		if (stopped) return;
		stopped = true;
		removeExitHandlers();
		releaseSlot(slot, token);
	};
	const removeExitHandlers = persistent ? () => undefined : stopOnExit(stopNow);
	try {
		return await buildLab(slot, count, stopNow);
	} catch (error) {
		stopNow();
		throw error;
	}
}

function unknownHost(name: string, hosts: readonly LabHost[]): never {
	throw new Error(`lab: no host "${name}" (hosts: ${hosts.map((host) => host.name).join(', ')})`);
}

async function buildLab(slot: number, count: number, stopNow: () => void): Promise<Lab> {
	const directory = slotDirectory(slot);
	const ssh = sshFilePaths(directory);
	const clientPublicKey = generateKey(ssh.identityFile, `kubeha-lab-${slot}`);
	const hosts: LabHost[] = Array.from({length: count}, (_, offset) => {
		const index = offset + 1;
		const name = hostName(index);
		return {
			name,
			address: hostAddress(slot, index),
			interface: hostInterface,
			namespace: namespaceName(slot, index),
			directory: join(directory, 'hosts', name),
		};
	});
	createBridge(slot);
	const hostKeys = hosts.map((host, offset) => {
		createHostNetwork(slot, offset + 1, host.namespace, host.address);
		return writeHostFiles({name: host.name, directory: host.directory, clientPublicKey, peers: hosts});
	});
	writeClientFiles(
		ssh,
		hosts.map((host, offset) => ({...host, hostKey: hostKeys[offset] ?? ''})),
	);
	const initPids = new Map<string, number>();
	await Promise.all(
		hosts.map(async (host) => {
			initPids.set(host.name, await startHostProcess(host.namespace, host.name, host.directory));
			await waitForSsh(host.name, host.address, join(host.directory, 'console.log'));
		}),
	);
	const exec = (host: LabHost | string, command: string, options?: ExecOptions) => {
		const name = typeof host === 'string' ? host : host.name;
		return execInHost(initPids.get(name) ?? unknownHost(name, hosts), command, options);
	};
	return {
		slot,
		hosts,
		network: `${labAddress(slot, 0)}/${prefixLength}`,
		gateway: labAddress(slot, 1),
		address: (lastOctet) => labAddress(slot, lastOctet),
		identityFile: ssh.identityFile,
		knownHostsFile: ssh.knownHostsFile,
		sshConfigFile: ssh.configFile,
		sshOptions: ssh.options,
		directory,
		exec,
		async writeFile(host, path, content, mode = 0o644) {
			const quoted = `'${path.replaceAll("'", "'\\''")}'`;
			const command = `mkdir -p "$(dirname ${quoted})" && cat > ${quoted} && chmod ${mode.toString(8)} ${quoted}`;
			const result = await exec(host, command, {input: content});
			if (result.code !== 0) throw new Error(`lab.writeFile ${path}: exit ${result.code}: ${result.stderr}`);
		},
		ssh(host, command, options) {
			const name = typeof host === 'string' ? host : host.name;
			const address = hosts.find((candidate) => candidate.name === name)?.address ?? unknownHost(name, hosts);
			return runProcess('ssh', [...ssh.options, `root@${address}`, command], options);
		},
		async stop() {
			stopNow();
		},
	};
}
