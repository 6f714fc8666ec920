import {join} from 'node:path';
import {CommandError, type Shell, sshFailureExitCode} from '../runner/shell.ts';
import type {ClusterSpec} from '../spec/cluster.ts';
import type {NodeSpec} from '../spec/schema.ts';
import {hostProbeScript, parseHostProbe} from './host-probe.ts';
import {readKubernetes} from './kubernetes.ts';
import {lastLine, splitSections} from './sections.ts';
import type {ClusterStatus, HostStatus} from './types.ts';

/** Longer than every check's own time-out together (keepalived's dump 3 s, curl 3 s each) plus an ssh connection. */
const hostTimeoutMs = 30_000;

export type ProbeRequest = {
	readonly spec: ClusterSpec;
	/** A shell to every node (connectToNodes): one script per node, one round trip. */
	readonly shell: Shell;
	/** kubeha's state directory beside the spec (stateDirectoryFor): kubeha apply fetched the kubeconfig into it. */
	readonly stateDirectory: string;
	/** Aborting ends the probe's commands and rejects. */
	readonly signal?: AbortSignal;
	readonly now?: () => number;
	/** The Kubernetes API reader; tests stand in for it. */
	readonly readKubernetes?: typeof readKubernetes;
};

/**
The cluster as it is now: every node asked over ssh (in parallel, one script each) and the Kubernetes API asked
through the control plane endpoint, at the same time. Nothing fails the probe but an abort: a node that cannot
be asked is a status too. Pair it with problemsOf to judge the result.
*/
export async function probeCluster(request: ProbeRequest): Promise<ClusterStatus> {
	const {spec, shell, signal} = request;
	const now = request.now ?? Date.now;
	const checkedAt = new Date(now()).toISOString();
	const [hosts, kubernetes] = await Promise.all([
		Promise.all(spec.nodes.map(async (node) => probeHost(spec, node, shell, signal))),
		// steps/kubeconfig.ts writes it there.
		(request.readKubernetes ?? readKubernetes)(join(request.stateDirectory, 'admin.conf'), {
			now,
			...(signal ? {signal} : {}),
		}),
	]);
	return {cluster: spec.name, checkedAt, hosts, kubernetes};
}

async function probeHost(spec: ClusterSpec, node: NodeSpec, shell: Shell, signal?: AbortSignal): Promise<HostStatus> {
	const timeout = AbortSignal.timeout(hostTimeoutMs);
	const unreachable = (error: string): HostStatus => ({
		node: node.name,
		address: node.address,
		reachable: false,
		error,
	});
	try {
		const result = await shell.run(node, hostProbeScript(spec, node), {
			nothrow: true,
			signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
		});
		if (result.exitCode === sshFailureExitCode) {
			return unreachable(lastLine(result.stderr));
		}

		// Nothing ran (sudo refused, no bash): the node answered ssh but could not be asked anything.
		if (splitSections(result.stdout).size === 0) {
			return unreachable(`the probe did not run (exit code ${result.exitCode}): ${lastLine(result.stderr)}`);
		}

		return parseHostProbe(spec, node, result.stdout);
	} catch (error) {
		if (signal?.aborted) {
			throw error;
		}

		if (timeout.aborted) {
			return unreachable(`no answer within ${hostTimeoutMs / 1000} s`);
		}

		// Opening the ssh connection failed (the master connection is opened without nothrow).
		return unreachable(error instanceof CommandError ? lastLine(error.result.stderr) : (error as Error).message);
	}
}
