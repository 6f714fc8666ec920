import {existsSync} from 'node:fs';
import {appendFile, mkdir} from 'node:fs/promises';
import {homedir} from 'node:os';
import {dirname, join} from 'node:path';
import {$} from 'zx';
import {UserError} from '../io/user-error.ts';
import {type HostKey, scanHostKeys} from '../runner/host-keys.ts';
import {expandHome, type SshOptions} from '../runner/ssh-shell.ts';
import type {NodeSpec} from '../spec/schema.ts';
import type {CommandOutput} from './output.ts';

/** What `ssh -G` says about a host: the known_hosts files it reads and the name it looks the host up by. */
async function knownHostsLookup(node: NodeSpec, ssh: SshOptions): Promise<{name: string; files: string[]}> {
	const config = ssh.configFile ? ['-F', expandHome(ssh.configFile, homedir())] : [];
	const output = await $({quiet: true, verbose: false})`ssh -G ${config} -p ${ssh.port} -l ${ssh.user} ${node.address}`;
	const settings = new Map(
		output.stdout.split('\n').map((line) => {
			const space = line.indexOf(' ');
			return [line.slice(0, space), line.slice(space + 1)] as const;
		}),
	);
	const alias = settings.get('hostkeyalias');
	const aliased = alias !== undefined && alias !== 'none';
	const host = aliased ? alias : (settings.get('hostname') ?? node.address);
	const port = settings.get('port') ?? String(ssh.port);
	const files = [settings.get('userknownhostsfile'), settings.get('globalknownhostsfile')]
		.flatMap((list) => (list ?? '').split(' '))
		.filter((file) => file !== '' && file !== '/dev/null')
		.map((file) => expandHome(file, homedir()));
	return {name: aliased || port === '22' ? host : `[${host}]:${port}`, files};
}

async function isKnown(node: NodeSpec, ssh: SshOptions): Promise<{known: boolean; firstFile?: string}> {
	const {name, files} = await knownHostsLookup(node, ssh);
	for (const file of files.filter((candidate) => existsSync(candidate))) {
		const found = await $({nothrow: true, quiet: true, verbose: false})`ssh-keygen -F ${name} -f ${file}`;
		if (found.exitCode === 0) {
			return {known: true};
		}
	}

	return {known: false, ...(files[0] === undefined ? {} : {firstFile: files[0]})};
}

/** Everything `confirmHostKeys` needs. */
export type HostKeyCheck = {
	readonly nodes: readonly NodeSpec[];
	readonly ssh: SshOptions;
	readonly acceptNewHostKeys: boolean;
	readonly interactive: boolean;
	readonly confirm: (message: string) => Promise<boolean>;
	readonly output: CommandOutput;
};

/**
Host keys before the first connection: nodes whose key is in no known_hosts file are shown with the
fingerprints they offer, and trusted only when the operator confirms them (the confirmed keys are appended to
the first known_hosts file ssh reads) or passed --accept-new-host-keys (ssh then records them on first contact).
Resolves to whether ssh should accept new keys.
*/
export async function confirmHostKeys(check: HostKeyCheck): Promise<boolean> {
	const {ssh, output} = check;
	const nodes = [...new Map(check.nodes.map((node) => [node.address, node])).values()];
	const lookups = await Promise.all(nodes.map(async (node) => ({node, ...(await isKnown(node, ssh))})));
	const unknown = lookups.filter((lookup) => !lookup.known);
	if (unknown.length === 0) {
		return false;
	}

	const scans = await Promise.allSettled(unknown.map(async (lookup) => scanHostKeys(lookup.node.address, ssh.port)));
	// A node that offers no key cannot be reached at all: said for every such node at once, nothing touched yet.
	const unreachable = scans.flatMap((scan, index) =>
		scan.status === 'rejected' ? [`${unknown[index]?.node.name}: ${(scan.reason as Error).message}`] : [],
	);
	if (unreachable.length > 0) {
		throw new UserError(`kubeha cannot reach every node, so it changed nothing:\n  ${unreachable.join('\n  ')}`);
	}

	const scanned = unknown.map((lookup, index) => {
		const scan = scans[index];
		return {...lookup, keys: scan?.status === 'fulfilled' ? scan.value : []};
	});
	output.err(
		[
			'these nodes are not in known_hosts yet; compare their keys with the fingerprints on the nodes (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub):',
			...scanned.flatMap(({node, keys}) => [
				`  ${node.name} (${node.address}:${ssh.port})`,
				...keys.map((key: HostKey) => `    ${key.type} ${key.fingerprint}`),
			]),
		].join('\n'),
	);
	if (check.acceptNewHostKeys) {
		return true;
	}

	const names = unknown.map((lookup) => lookup.node.name).join(', ');
	if (!check.interactive) {
		throw new UserError(
			`the host keys of ${names} are not in known_hosts: run kubeha apply in a terminal to confirm them, add them yourself (ssh-keyscan), or pass --accept-new-host-keys.`,
		);
	}

	if (!(await check.confirm(`Trust these host keys of ${names}?`))) {
		throw new UserError(
			`the host keys of ${names} were not confirmed, so kubeha did not connect; nothing was changed.`,
		);
	}

	for (const {keys, firstFile} of scanned) {
		const file = firstFile ?? join(homedir(), '.ssh', 'known_hosts');
		await mkdir(dirname(file), {recursive: true, mode: 0o700});
		await appendFile(file, keys.map((key) => `${key.knownHostsLine}\n`).join(''), {mode: 0o600});
	}

	return false;
}
