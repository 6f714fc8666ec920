import {openSshShell} from '../runner/ssh-shell.ts';
import type {NodeSpec, ParsedCluster} from '../spec/schema.ts';
import type {HostCheck} from '../wizard/services.ts';

/**
The wizard's reachability check: one SSH login with the spec's settings, as `kubeha apply` will make it (host
keys checked, no prompt), reporting what answered or, in ssh's own words, why nothing did.
*/
export async function checkHostOverSsh(node: NodeSpec, ssh: ParsedCluster['ssh']): Promise<HostCheck> {
	const shell = await openSshShell({
		user: ssh.user,
		port: ssh.port,
		...(ssh.identityFile === undefined ? {} : {identityFile: ssh.identityFile}),
		connectTimeoutSeconds: 5,
	});
	try {
		const result = await shell.run({name: node.name, address: node.address}, 'uname -n');
		return {reachable: true, detail: `answered as ${result.stdout.trim()}`};
	} catch (error) {
		// The connection (ssh's master) fails before any command runs; its message says why, in ssh's words.
		const reason = error instanceof Error ? error.message : String(error);
		return {
			reachable: false,
			detail: /host key verification failed/i.test(reason)
				? 'its host key is not in known_hosts yet: kubeha apply shows its fingerprints and asks you to confirm'
				: reason,
		};
	} finally {
		await shell.close();
	}
}
