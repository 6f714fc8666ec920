import {etcdCaCertPath, etcdClientUrl, etcdMemberPaths, etcdUnitPath} from '../../source/render/etcd.ts';
import {sh} from '../../source/runner/shell.ts';
import type {NodeSpec} from '../../source/spec/schema.ts';
import type {OsFamily} from './os.ts';
import {packagesTask} from './packages.ts';
import {daemonReloadTask, type Task, waitUntil} from './tasks.ts';

/** etcd and etcdctl from the distribution (the unit runs /usr/bin/etcd); RHEL needs a repository that has etcd. */
export const etcdPackagesTask = (family: OsFamily): Task =>
	packagesTask(family, 'etcd and etcdctl installed', {
		packages: family === 'apt' ? ['etcd-server', 'etcd-client'] : ['etcd'],
		commands: ['etcd', 'etcdctl'],
	});

export const etcdUnitReloadTask: Task = daemonReloadTask([etcdUnitPath]);

/**
etcdctl's flags to reach an endpoint as the healthcheck client: the pair kubeha writes on every external member,
and kubeadm on every stacked control plane, at the same paths.
*/
export function etcdctlFlags(endpoint: string): string {
	const {healthcheckClient} = etcdMemberPaths;
	return sh`--endpoints ${endpoint} --cacert ${etcdCaCertPath} --cert ${healthcheckClient.cert} --key ${healthcheckClient.key}`;
}

/** etcdctl's `--endpoints` value for these members. */
export const etcdClientUrls = (members: readonly NodeSpec[]): string =>
	members.map((member) => etcdClientUrl(member)).join(',');

/** etcdctl's health check of one member, with the healthcheck client certificate. */
export const etcdHealthCommand = (node: NodeSpec): string =>
	`ETCDCTL_API=3 etcdctl ${etcdctlFlags(etcdClientUrl(node))} --command-timeout 5s endpoint health`;

/** How long a member may take to find the others (and a leader) and report healthy. */
export const healthWaitOptions = {tries: 60, intervalSeconds: 2} as const;

export const healthWaitFailure = (node: NodeSpec): string =>
	`etcd on ${node.name} was not healthy after ${healthWaitOptions.tries * healthWaitOptions.intervalSeconds} s. It needs a quorum of members running: check \`systemctl status etcd\` and \`journalctl -u etcd\` on each etcd node (certificates, addresses, ETCD_INITIAL_CLUSTER), and that port 2380 is open between them.`;

export function etcdHealthTask(node: NodeSpec): Task {
	const command = etcdHealthCommand(node);
	return {
		what: `etcd member ${node.name} healthy (etcdctl endpoint health)`,
		check: command,
		act: waitUntil(command, {...healthWaitOptions, failure: healthWaitFailure(node)}),
	};
}
