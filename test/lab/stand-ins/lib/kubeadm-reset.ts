// Test fixture for the lab's kubeadm stand-in: `kubeadm reset -f`, a best-effort revert of what init or join wrote
// on this node. As the real one, it does not delete the Node object (`kubectl delete node` does that).
import {X509Certificate} from 'node:crypto';
import {existsSync, readdirSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {apiserverStateDirectory, stopApiserver} from './kube-apiserver-process.ts';
import {kubeJson, type Target} from './kube-client.ts';
import {now} from './kube-clock.ts';
import {type KubeObject, readyCondition} from './kube-objects.ts';
import {type ClusterConfiguration, hostAddress} from './kubeadm-config.ts';
import {kubeconfigPaths, kubeletDirectory, manifestsDirectory} from './kubeadm-files.ts';
import {readClusterConfiguration} from './kubeadm-node.ts';
import {privilegedUser, runChecks} from './kubeadm-preflight.ts';
import {kubeconfigTarget} from './kubeadm-token.ts';
import {readKubeconfig} from './kubeconfig.ts';
import {NotModelled} from './not-modelled.ts';

const say = (line: string) => process.stdout.write(`${line}\n`);
const warn = (line: string) => process.stderr.write(`W0000 ${line}\n`);
/** Reset is best effort: it gives up on an unreachable cluster quickly and goes on. */
const resetRetryMs = 3000;

function emptyDirectory(directory: string): void {
	if (!existsSync(directory)) return;
	for (const entry of readdirSync(directory)) rmSync(join(directory, entry), {recursive: true, force: true});
}

async function clusterConfigurationOrDefaults(): Promise<ClusterConfiguration | undefined> {
	say('[reset] Reading configuration from the cluster...');
	const kubeconfig = [kubeconfigPaths.admin, kubeconfigPaths.kubelet].find(existsSync);
	try {
		if (kubeconfig === undefined) throw new Error('no admin.conf or kubelet.conf on this node');
		const target = {...kubeconfigTarget(kubeconfig), retryMs: resetRetryMs};
		return (await readClusterConfiguration(target, {advertiseAddress: hostAddress(), bindPort: 6443})).cluster;
	} catch (error) {
		warn(`[reset] Unable to fetch the kubeadm-config ConfigMap from cluster: ${(error as Error).message}`);
		return undefined;
	}
}

/**
The kubelet stops; the node lifecycle controller marks the Node's Ready condition Unknown about 40 s later. The
stand-in has no kubelet to stop, so it reports that end state at once, with the node's own credentials.
*/
async function markNodeStopped(): Promise<void> {
	if (!existsSync(kubeconfigPaths.kubelet)) return;
	try {
		const kubelet: Target = {...readKubeconfig(kubeconfigPaths.kubelet), retryMs: resetRetryMs};
		const name = /^system:node:(.+)$/.exec(kubeletUser(kubelet))?.[1];
		if (name === undefined) return;
		const node = await kubeJson<KubeObject>(kubelet, 'GET', `/api/v1/nodes/${name}`);
		const status = (node['status'] ?? {}) as {conditions?: Array<{type: string}>};
		const conditions = [
			...(status.conditions ?? []).filter((condition) => condition.type !== 'Ready'),
			readyCondition(false, now()),
		];
		await kubeJson(kubelet, 'PUT', `/api/v1/nodes/${name}/status`, {...node, status: {...status, conditions}});
	} catch (error) {
		warn(`[reset] could not report the node's kubelet as stopped: ${(error as Error).message}`);
	}
}

/** The user of a client certificate is its CN. */
const kubeletUser = (target: Target): string =>
	/CN=([^\n]+)/.exec(new X509Certificate(target.cert ?? '').subject)?.[1] ?? '';

export async function reset(force: boolean): Promise<number> {
	if (!force) throw new NotModelled('reset without -f/--force: the real command asks for confirmation on the terminal');
	const cluster = await clusterConfigurationOrDefaults();
	await runChecks([privilegedUser], []);
	await markNodeStopped();
	say('[reset] Stopping the kubelet service');
	// SIGTERM: the apiserver stand-in leaves the replication group, as kubeadm removes this node's etcd member.
	if (await stopApiserver())
		say("[reset] Stopped the kube-apiserver stand-in and removed this control plane from the cluster's store replicas");
	const dataDir = cluster?.etcd.local?.dataDir ?? '/var/lib/etcd';
	if (cluster?.etcd.external === undefined) {
		emptyDirectory(dataDir);
		say(`[reset] Deleted contents of the etcd data directory: ${dataDir}`);
	}
	rmSync(apiserverStateDirectory, {recursive: true, force: true});
	const certificatesDir = cluster?.certificatesDir ?? '/etc/kubernetes/pki';
	const directories = [manifestsDirectory, kubeletDirectory, certificatesDir];
	say(`[reset] Deleting contents of directories: [${directories.join(' ')}]`);
	for (const directory of directories) emptyDirectory(directory);
	const files = [
		kubeconfigPaths.admin,
		kubeconfigPaths.superAdmin,
		kubeconfigPaths.kubelet,
		kubeconfigPaths.bootstrapKubelet,
		kubeconfigPaths.controllerManager,
		kubeconfigPaths.scheduler,
	];
	say(`[reset] Deleting files: [${files.join(' ')}]`);
	for (const file of files) rmSync(file, {force: true});
	say(`
The reset process does not clean CNI configuration. To do so, you must remove /etc/cni/net.d

The reset process does not reset or clean up iptables rules or IPVS tables.
If you wish to reset iptables, you must do so manually by using the "iptables" command.

The reset process does not clean your kubeconfig files and you must remove them manually.
Please, check the contents of the $HOME/.kube/config file.`);
	return 0;
}
