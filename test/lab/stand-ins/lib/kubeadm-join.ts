// Test fixture for the lab's kubeadm stand-in: `kubeadm join`, as a worker or as a control plane, phase by phase
// as kubeadm runs them: preflight (with token discovery), control-plane-prepare, kubelet-start, control-plane-join.
import {startApiserver} from './kube-apiserver-process.ts';
import {downloadCerts} from './kubeadm-certs.ts';
import {hostAddress, type JoinConfiguration} from './kubeadm-config.ts';
import {
	apiserverFlags,
	type ControlPlaneNode,
	writeCertificates,
	writeKubeconfigs,
	writeKubeletFiles,
	writeStaticPodManifests,
} from './kubeadm-control-plane.ts';
import {discover} from './kubeadm-discovery.ts';
import {kubeconfigPaths, writeFileWithMode} from './kubeadm-files.ts';
import {
	apiRetryMs,
	nodeAddress,
	readClusterConfiguration,
	refuseReadyNode,
	registerNode,
	tlsBootstrap,
} from './kubeadm-node.ts';
import {KubeadmError} from './kubeadm-output.ts';
import {
	controlPlaneChecks,
	fileAvailable,
	ipv4ForwardCheck,
	portOpen,
	privilegedUser,
	runChecks,
	swapCheck,
} from './kubeadm-preflight.ts';

const say = (line: string) => process.stdout.write(`${line}\n`);

export async function join(config: JoinConfiguration, ignorePreflightErrors: readonly string[]): Promise<number> {
	const {nodeRegistration: registration, controlPlane} = config;
	const ignored = [...ignorePreflightErrors, ...registration.ignorePreflightErrors];
	await runChecks(
		[
			privilegedUser,
			fileAvailable(kubeconfigPaths.kubelet),
			fileAvailable(kubeconfigPaths.bootstrapKubelet),
			swapCheck,
			portOpen(10250),
			...(controlPlane === undefined ? [fileAvailable(config.caCertPath)] : []),
			ipv4ForwardCheck,
		],
		ignored,
	);
	const bootstrap = {...(await discover(config)), retryMs: apiRetryMs};
	const local = controlPlane?.localAPIEndpoint ?? {advertiseAddress: hostAddress(), bindPort: 6443};
	const {cluster, kubelet} = await readClusterConfiguration(bootstrap, local);
	let node: ControlPlaneNode | undefined;
	if (controlPlane !== undefined) {
		if (!cluster.endpointConfigured) {
			throw new KubeadmError(
				"\nOne or more conditions for hosting a new control plane instance is not satisfied.\n\nunable to add a new control plane instance to a cluster that doesn't have a stable controlPlaneEndpoint address\n\nPlease ensure that:\n* The cluster has a stable controlPlaneEndpoint address.\n* The certificates that must be shared among control plane instances are provided.\n",
				'preflight',
			);
		}
		const announcement = '[preflight] Running pre-flight checks before initializing the new control plane instance';
		await runChecks(controlPlaneChecks(cluster, controlPlane.localAPIEndpoint.bindPort), ignored, announcement);
		node = {cluster, registration, endpoint: controlPlane.localAPIEndpoint};
	}
	await refuseReadyNode(bootstrap, registration.name);
	if (node !== undefined) {
		if (controlPlane?.certificateKey !== undefined)
			await downloadCerts(bootstrap, cluster, controlPlane.certificateKey);
		const ca = await writeCertificates(node, false);
		await writeKubeconfigs(node, ca, false);
		writeStaticPodManifests(node);
	} else {
		writeFileWithMode(config.caCertPath, bootstrap.ca ?? '', 0o644);
	}
	writeKubeletFiles(kubelet, registration);
	const kubeletTarget = await tlsBootstrap(bootstrap, cluster.clusterName, registration.name);
	if (node !== undefined) {
		// A new etcd member syncs from the cluster before it serves: here the apiserver stand-in takes the store.
		await startApiserver(apiserverFlags(node, cluster.controlPlaneEndpoint));
		if (cluster.etcd.local !== undefined) say('[etcd] Announced new etcd member joining to the existing etcd cluster');
	}
	const address = node?.endpoint.advertiseAddress ?? nodeAddress(registration, hostAddress());
	await registerNode(kubeletTarget, {registration, address, controlPlane: node !== undefined});
	say(node === undefined ? workerJoined : controlPlaneJoined(cluster.etcd.local !== undefined));
	return 0;
}

const workerJoined = `
This node has joined the cluster:
* Certificate signing request was sent to apiserver and a response was received.
* The Kubelet was informed of the new secure connection details.

Run 'kubectl get nodes' on the control-plane to see this node join the cluster.
`;

const controlPlaneJoined = (stackedEtcd: boolean) => `
This node has joined the cluster and a new control plane instance was created:

* Certificate signing request was sent to apiserver and approval was received.
* The Kubelet was informed of the new secure connection details.
* Control plane label and taint were applied to the new node.
* The Kubernetes control plane instances scaled up.
${stackedEtcd ? '* A new etcd member was added to the local/stacked etcd cluster.\n' : ''}
To start administering your cluster from this node, you need to run the following as a regular user:

	mkdir -p $HOME/.kube
	sudo cp -i /etc/kubernetes/admin.conf $HOME/.kube/config
	sudo chown $(id -u):$(id -g) $HOME/.kube/config

Run 'kubectl get nodes' to see this node join the cluster.
`;
