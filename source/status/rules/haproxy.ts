import {haproxyAdminSocket} from '../../render/haproxy.ts';
import {type ClusterSpec, controlPlanes} from '../../spec/cluster.ts';
import type {ClusterStatus, HaproxyBackend, Problem} from '../types.ts';

/** UP, and `UP 1/2` (one failed check so far: still sent traffic), count as up; `no check` is not ours to judge. */
export const backendUp = (backend: HaproxyBackend): boolean =>
	backend.status.startsWith('UP') || backend.status === 'no check';

/**
haproxy not answering on a load-balancer node, an API server that haproxy does not send to (one problem per API
server, naming every haproxy that sees it down), and a control plane haproxy has no server for.
*/
export function haproxyProblems(status: ClusterStatus, spec: ClusterSpec): Problem[] {
	const problems: Problem[] = [];
	const down = new Map<string, {backend: HaproxyBackend; seenBy: string[]}>();
	for (const host of status.hosts) {
		const haproxy = host.loadBalancer?.haproxy;
		if (haproxy === undefined) {
			continue;
		}

		if (!haproxy.answered) {
			problems.push({
				node: host.node,
				what: `haproxy on ${host.node} does not answer on its admin socket`,
				why: `\`show stat\` on ${haproxyAdminSocket}: ${haproxy.error}`,
				fix:
					spec.loadBalancer.deploy === 'systemd'
						? `check \`systemctl status haproxy\` and \`journalctl -u haproxy\` on ${host.node}.`
						: `check the haproxy static pod on ${host.node} (\`crictl ps -a --name haproxy\`, \`crictl logs\`).`,
			});
			continue;
		}

		for (const backend of haproxy.backends.filter((candidate) => !backendUp(candidate))) {
			const entry = down.get(backend.server) ?? {backend, seenBy: []};
			entry.seenBy.push(host.node);
			down.set(backend.server, entry);
		}

		const missing = controlPlanes(spec).filter(
			(node) => !haproxy.backends.some((backend) => backend.server === node.name),
		);
		if (missing.length > 0) {
			problems.push({
				node: host.node,
				what: `haproxy on ${host.node} has no server for ${missing.map((node) => node.name).join(', ')}`,
				why: `its kube-apiserver backend lists ${haproxy.backends.map((backend) => backend.server).join(', ') || 'no server'}, so it never sends requests there`,
				fix: 'run `kubeha apply`, which renders haproxy.cfg with every control plane and reloads haproxy.',
			});
		}
	}

	for (const [server, {backend, seenBy}] of down) {
		const node = spec.nodes.find((candidate) => candidate.name === server);
		const url = node ? `https://${node.address}:${spec.apiServer.bindPort}/healthz` : '/healthz';
		problems.push({
			node: server,
			what: `API server ${server} is ${backend.status} in haproxy on ${seenBy.join(', ')}`,
			why: `haproxy's health check of ${url} says ${[backend.check, backend.checkDescription].filter(Boolean).join(': ') || 'nothing'}, so it sends no requests there`,
			fix: `make the API server on ${server} healthy (the apiserver column; \`crictl ps -a --name kube-apiserver\` and \`crictl logs\` on ${server}); haproxy sends to it again after two passing checks.`,
		});
	}

	return problems;
}
