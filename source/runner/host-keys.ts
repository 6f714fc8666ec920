import {createHash} from 'node:crypto';
import {$} from 'zx';

/** A public key a host offers for itself. */
export type HostKey = {
	/** Key type, e.g. ssh-ed25519. */
	readonly type: string;
	/** The key, base64 as in known_hosts. */
	readonly key: string;
	/** `SHA256:…`, as `ssh-keygen -l` and ssh's own prompt show it: what the operator compares. */
	readonly fingerprint: string;
	/** The line to append to known_hosts once the operator has confirmed the key. */
	readonly knownHostsLine: string;
};

/** The SHA256 fingerprint of a base64 public key, in OpenSSH's format (base64, no padding). */
export const fingerprintOf = (key: string): string =>
	`SHA256:${createHash('sha256').update(Buffer.from(key, 'base64')).digest('base64').replace(/=+$/, '')}`;

/** Parses ssh-keyscan's output: `<host> <type> <key>` lines; `#` lines are comments. */
export function parseKeyscan(output: string): HostKey[] {
	return output
		.split('\n')
		.filter((line) => line.trim() !== '' && !line.startsWith('#'))
		.flatMap((line) => {
			const [host, type, key] = line.trim().split(/\s+/);
			return host && type && key ? [{type, key, fingerprint: fingerprintOf(key), knownHostsLine: line.trim()}] : [];
		});
}

/**
The keys a host offers, so a UI can show their fingerprints for confirmation before anything trusts them.
Nothing is written: the caller appends the confirmed `knownHostsLine`s to known_hosts (or runs with
`acceptNewHostKeys`, which trusts whatever the host offers on first connection).
*/
export async function scanHostKeys(address: string, port: number, timeoutSeconds = 5): Promise<HostKey[]> {
	const output = await $({
		nothrow: true,
		quiet: true,
		verbose: false,
	})`ssh-keyscan -p ${port} -T ${timeoutSeconds} ${address}`;
	const keys = parseKeyscan(output.stdout);
	if (keys.length === 0) {
		throw new Error(
			`no SSH host key from ${address} port ${port}: ${output.stderr.trim() || 'no answer'}. Check that the node's address and ssh.port are right and that sshd runs there.`,
		);
	}

	return keys;
}
