// Probe outputs recorded on a lab cluster (three control planes with keepalived and haproxy, stacked etcd, which the
// lab does not run) by running hostProbeScript over ssh, and the spec they were recorded with. Their certificates
// section came later: real kubeadm's `certs check-expiration` output (check-expiration-cp1.txt, from a published
// session), with super-admin.conf !MISSING! on cp2 and cp3, as on every control plane that joined.
import {readFileSync} from 'node:fs';
import type {ClusterSpec} from '../../source/spec/cluster.ts';
import {loadSpec} from '../../source/spec/load.ts';
import {parseHostProbe} from '../../source/status/host-probe.ts';
import type {ClusterStatus, HostStatus, KubernetesStatus} from '../../source/status/types.ts';

const fixture = (name: string): string => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');

/** The lab cluster: cp1 (priority 120), cp2 (110), cp3 (100) at 198.18.1.11–13, VIP 198.18.1.100 on eth0, port 8443. */
export const labSpec: ClusterSpec = (() => {
	const {spec, findings} = loadSpec(fixture('cluster.yaml'));
	if (!spec) {
		throw new Error(`fixtures/cluster.yaml is not valid: ${JSON.stringify(findings)}`);
	}

	return spec;
})();

/**
Recorded states: `healthy`; `keepalived-down` (kube-apiserver stopped on cp3, then keepalived stopped on cp1: the
VIP moved to cp2); `haproxy-down` (then haproxy stopped on cp3: its keepalived in FAULT), cp3 only.
*/
export type Recording = 'healthy' | 'keepalived-down' | 'haproxy-down';

/** What the probe script printed on a node in a recorded state. */
export const recordedOutput = (recording: Recording, node: string): string => fixture(`${recording}-${node}.txt`);

/** A node's status from its recorded output. */
export function recordedHost(recording: Recording, node: string): HostStatus {
	const spec = labSpec.nodes.find((candidate) => candidate.name === node);
	if (!spec) {
		throw new Error(`the lab spec has no node ${node}`);
	}

	return parseHostProbe(labSpec, spec, recordedOutput(recording, node));
}

/** The API as the lab's answered: three Ready nodes, cp1 (hostname lab-h1) leading both components. */
export const answeringApi: KubernetesStatus = {
	answered: true,
	server: 'https://198.18.1.100:8443',
	nodes: ['cp1', 'cp2', 'cp3'].map((name) => ({name, ready: 'True'})),
	leases: ['kube-controller-manager', 'kube-scheduler'].map((name) => ({
		name,
		holderIdentity: 'lab-h1_9dbfeb6d-a2b5-4a80-97b1-77006beafa01',
		renewedSecondsAgo: 1,
		durationSeconds: 15,
	})),
};

/** The cluster in a recorded state, hosts replaced or changed as a test needs. */
export function recordedStatus(
	recording: Recording | Readonly<Record<string, HostStatus>>,
	kubernetes: KubernetesStatus = answeringApi,
): ClusterStatus {
	const hosts = ['cp1', 'cp2', 'cp3'].map((node) =>
		typeof recording === 'string' ? recordedHost(recording, node) : (recording[node] ?? recordedHost('healthy', node)),
	);
	return {cluster: 'lab', checkedAt: '2026-11-22T07:35:50.088Z', hosts, kubernetes};
}
