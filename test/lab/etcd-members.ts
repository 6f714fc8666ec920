// Test fixture: etcd's own answers on a lab host, through etcdctl with the healthcheck client pair kubeha wrote there.
import assert from 'node:assert/strict';
import type {Lab, LabHost} from './lab.ts';

/** etcdctl as an operator runs it on a member: v3 API, the healthcheck client certificate, these members' endpoints. */
export const etcdctl = (endpoints: readonly LabHost[], command: string): string =>
	[
		'ETCDCTL_API=3 etcdctl',
		`--endpoints ${endpoints.map((host) => `https://${host.address}:2379`).join(',')}`,
		'--cacert /etc/kubernetes/pki/etcd/ca.crt',
		'--cert /etc/kubernetes/pki/etcd/healthcheck-client.crt',
		'--key /etc/kubernetes/pki/etcd/healthcheck-client.key',
		command,
	].join(' ');

/** `member list` as etcd answers it on `host`: each member's `name status`, sorted (an unstarted member has no name). */
export async function memberList(lab: Lab, host: LabHost): Promise<string[]> {
	const {code, stdout, stderr} = await lab.exec(host, etcdctl([host], 'member list -w simple'));
	assert.equal(code, 0, `member list on ${host.name}: ${stderr}`);
	return stdout
		.trim()
		.split('\n')
		.map((line) => {
			const [, status = '', name = ''] = line.split(', ');
			return `${name} ${status}`;
		})
		.sort();
}

/** The member names etcd lists on `host`, sorted. */
export const memberNames = async (lab: Lab, host: LabHost): Promise<string[]> =>
	(await memberList(lab, host)).map((entry) => entry.split(' ')[0] ?? entry);

/** etcd's health answer for the member on `host`, asked there. */
export async function assertHealthy(lab: Lab, host: LabHost): Promise<void> {
	const health = await lab.exec(host, etcdctl([host], 'endpoint health'));
	assert.equal(health.code, 0, `etcd on ${host.name}: ${health.stdout}${health.stderr}`);
	// etcdctl 3.4 says it on stderr, later versions on stdout.
	assert.match(health.stdout + health.stderr, new RegExp(`https://${host.address}:2379 is healthy`));
}

/** The members' client URLs, comma-separated: how kubeadm's config and kube-apiserver's flag list them. */
export const clientUrls = (hosts: readonly LabHost[]): string =>
	hosts.map((host) => `https://${host.address}:2379`).join(',');

/** The `--etcd-servers=` value in the host's kube-apiserver manifest. */
export async function manifestEtcdServers(lab: Lab, host: LabHost): Promise<string | undefined> {
	const {stdout} = await lab.exec(host, 'cat /etc/kubernetes/manifests/kube-apiserver.yaml');
	return /^\s*- --etcd-servers=(\S+)$/m.exec(stdout)?.[1];
}

/** The `--etcd-servers=` value each kube-apiserver process on the host runs with, from its command line. */
export async function runningEtcdServers(lab: Lab, host: LabHost): Promise<string[]> {
	const {stdout} = await lab.exec(
		host,
		'for pid in $(pgrep -x kube-apiserver); do tr "\\0" "\\n" < /proc/$pid/cmdline | sed -n "s/^--etcd-servers=//p"; done',
	);
	return stdout.trim().split('\n').filter(Boolean);
}
