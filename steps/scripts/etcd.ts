import {
	etcdCaCertPath,
	etcdClientUrl,
	etcdEnvironmentPath,
	etcdMemberPaths,
	etcdUnitPath,
} from '../../source/render/etcd.ts';
import {sh} from '../../source/runner/shell.ts';
import type {NodeSpec} from '../../source/spec/schema.ts';
import type {OsFamily} from './os.ts';
import {packagesTask} from './packages.ts';
import {type Task, unchanged, waitUntil} from './tasks.ts';

/** etcd and etcdctl from the distribution (the unit runs /usr/bin/etcd); RHEL needs a repository that has etcd. */
export const etcdPackagesTask = (family: OsFamily): Task =>
	packagesTask(family, 'etcd and etcdctl installed', {
		packages: family === 'apt' ? ['etcd-server', 'etcd-client'] : ['etcd'],
		commands: ['etcd', 'etcdctl'],
	});

export const etcdUnitReloadTask: Task = {
	what: `systemd reads the current ${etcdUnitPath}`,
	check: unchanged([etcdUnitPath]),
	act: 'systemctl daemon-reload',
};

/**
etcd enabled and running the current files. Started without waiting: a member reports ready only once a quorum
of its peers runs, so each host starts its own and etcd-health waits for the cluster.
*/
export function etcdServiceTask(files: readonly string[]): Task {
	return {
		what: `etcd enabled and running the current ${[etcdEnvironmentPath, etcdUnitPath].join(', ')} and certificates`,
		check: `systemctl is-enabled --quiet etcd && systemctl is-active --quiet etcd && ${unchanged(files)}`,
		act: [
			'systemctl enable etcd',
			// The distribution's package starts its own etcd (on localhost) when it installs; this replaces it.
			'if systemctl is-active --quiet etcd; then systemctl restart --no-block etcd; else systemctl start --no-block etcd; fi',
		].join('\n'),
	};
}

/**
etcdctl's flags to reach an endpoint as the healthcheck client: the pair kubeha writes on every external member,
and kubeadm on every stacked control plane, at the same paths.
*/
export function etcdctlFlags(endpoint: string): string {
	const {healthcheckClient} = etcdMemberPaths;
	return sh`--endpoints ${endpoint} --cacert ${etcdCaCertPath} --cert ${healthcheckClient.cert} --key ${healthcheckClient.key}`;
}

/** etcdctl's health check of one member, with the healthcheck client certificate. */
export const etcdHealthCommand = (node: NodeSpec): string =>
	`ETCDCTL_API=3 etcdctl ${etcdctlFlags(etcdClientUrl(node))} --command-timeout 5s endpoint health`;

/** How long the members may take to find each other and elect a leader. */
const healthWait = {tries: 60, intervalSeconds: 2} as const;

export function etcdHealthTask(node: NodeSpec): Task {
	const command = etcdHealthCommand(node);
	return {
		what: `etcd member ${node.name} healthy (etcdctl endpoint health)`,
		check: command,
		act: waitUntil(command, {
			...healthWait,
			failure: `etcd on ${node.name} was not healthy after ${healthWait.tries * healthWait.intervalSeconds} s. It needs a quorum of members running: check \`systemctl status etcd\` and \`journalctl -u etcd\` on each etcd node (certificates, addresses, ETCD_INITIAL_CLUSTER), and that port 2380 is open between them.`,
		}),
	};
}
