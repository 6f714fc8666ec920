// Test fixture for the lab's kubeadm stand-in: `kubeadm init --config F [--upload-certs]` on the first control
// plane, phase by phase as kubeadm runs them, with the kube-apiserver stand-in in place of the static pods.
import {stringify} from 'yaml';
import {startApiserver} from './kube-apiserver-process.ts';
import {configMap} from './kube-objects.ts';
import {generateToken} from './kube-tokens.ts';
import {createOrUpdate, uploadCerts} from './kubeadm-certs.ts';
import {
	type ClusterConfiguration,
	clusterConfiguration,
	initConfiguration,
	readConfigDocuments,
	refuseUnskippablePhases,
} from './kubeadm-config.ts';
import {
	apiserverFlags,
	type ControlPlaneNode,
	serviceAddress,
	writeCertificates,
	writeKubeconfigs,
	writeKubeletFiles,
	writeStaticPodManifests,
} from './kubeadm-control-plane.ts';
import {kubeconfigPaths, manifestsDirectory} from './kubeadm-files.ts';
import {registerNode} from './kubeadm-node.ts';
import {KubeadmError} from './kubeadm-output.ts';
import {
	controlPlaneChecks,
	ipv4ForwardCheck,
	portOpen,
	privilegedUser,
	runChecks,
	swapCheck,
} from './kubeadm-preflight.ts';
import {createToken, joinCommand, kubeconfigTarget, newCertificateKey} from './kubeadm-token.ts';
import {uploadKubeadmConfig} from './kubeadm-upload-config.ts';
import {clusterInfoKubeconfig} from './kubeconfig.ts';
import {NotModelled} from './not-modelled.ts';

export type InitOptions = {
	configPath?: string;
	uploadCerts: boolean;
	skipPhases: string[];
	ignorePreflightErrors: string[];
};

const say = (line: string) => process.stdout.write(`${line}\n`);

/** The other ConfigMaps kubeadm init uploads (the bootstrap signer adds cluster-info's signatures: kube-apiserver-api.ts). */
const clusterConfigMaps = {
	clusterInfo: (kubeconfig: string) => configMap('kube-public', 'cluster-info', {kubeconfig}),
	kubeletConfig: (kubelet: string) => configMap('kube-system', 'kubelet-config', {kubelet}),
};

/** KubeletConfiguration as kubeadm uploads it to kubelet-config: the file's document over kubeadm's defaults. */
function kubeletConfiguration(document: Record<string, unknown> | undefined, cluster: ClusterConfiguration): string {
	return stringify({
		apiVersion: 'kubelet.config.k8s.io/v1beta1',
		kind: 'KubeletConfiguration',
		authentication: {
			anonymous: {enabled: false},
			webhook: {enabled: true},
			x509: {clientCAFile: `${cluster.certificatesDir}/ca.crt`},
		},
		authorization: {mode: 'Webhook'},
		cgroupDriver: 'systemd',
		clusterDNS: [serviceAddress(cluster.networking.serviceSubnet, 10)],
		clusterDomain: cluster.networking.dnsDomain,
		rotateCertificates: true,
		staticPodPath: manifestsDirectory,
		...document,
	});
}

export async function init(options: InitOptions): Promise<number> {
	if (options.configPath === undefined) throw new NotModelled('init without --config (kubeha always passes its file)');
	const documents = readConfigDocuments(options.configPath);
	if (documents.has('JoinConfiguration')) {
		process.stderr.write(
			'W0000 [config] WARNING: Ignored configuration document with GroupVersionKind kubeadm.k8s.io/v1beta4, Kind=JoinConfiguration\n',
		);
	}
	const initConfig = initConfiguration(documents.get('InitConfiguration'), generateToken);
	const cluster = clusterConfiguration(documents.get('ClusterConfiguration'), initConfig.localAPIEndpoint);
	const kubelet = kubeletConfiguration(documents.get('KubeletConfiguration'), cluster);
	refuseUnskippablePhases(options.skipPhases, '--skip-phases');
	// The flag takes precedence over the file's list.
	const skipped = options.skipPhases.length > 0 ? options.skipPhases : initConfig.skipPhases;
	const {nodeRegistration: registration, localAPIEndpoint: endpoint} = initConfig;
	say(`[init] Using Kubernetes version: ${cluster.kubernetesVersion}`);
	await runChecks(
		[privilegedUser, swapCheck, ...controlPlaneChecks(cluster, endpoint.bindPort), portOpen(10250), ipv4ForwardCheck],
		[...options.ignorePreflightErrors, ...registration.ignorePreflightErrors],
	);
	const node: ControlPlaneNode = {cluster, registration, endpoint};
	const ca = await writeCertificates(node, true);
	await writeKubeconfigs(node, ca, true);
	writeStaticPodManifests(node);
	writeKubeletFiles(kubelet, registration);
	await startApiserver(apiserverFlags(node));

	// From here on kubeadm talks to the cluster through admin.conf, i.e. through the controlPlaneEndpoint: with
	// keepalived and haproxy that is the VIP, which must already be up, as on real servers.
	const admin = kubeconfigTarget();
	await uploadKubeadmConfig(admin, cluster);
	say(
		'[kubelet] Creating a ConfigMap "kubelet-config" in namespace kube-system with the configuration for the kubelets in the cluster',
	);
	await createOrUpdate(admin, '/api/v1/namespaces/kube-system/configmaps', clusterConfigMaps.kubeletConfig(kubelet));
	await registerNode(kubeconfigTarget(kubeconfigPaths.kubelet), {
		registration,
		address: endpoint.advertiseAddress,
		controlPlane: true,
	});
	const certificateKey = options.uploadCerts ? (initConfig.certificateKey ?? newCertificateKey()) : undefined;
	if (certificateKey === undefined) say('[upload-certs] Skipping phase. Please see --upload-certs');
	else {
		await uploadCerts(admin, cluster, certificateKey);
		say(`[upload-certs] Using certificate key:\n${certificateKey}`);
	}
	for (const token of initConfig.bootstrapTokens) {
		await createToken(admin, token);
		say(`[bootstrap-token] Using token: ${token.token}`);
	}
	say('[bootstrap-token] Creating the "cluster-info" ConfigMap in the "kube-public" namespace');
	const server = `https://${cluster.controlPlaneEndpoint}`;
	await createOrUpdate(
		admin,
		'/api/v1/namespaces/kube-public/configmaps',
		clusterConfigMaps.clusterInfo(clusterInfoKubeconfig(server, ca.cert)),
	);
	const [first] = initConfig.bootstrapTokens;
	if (first === undefined)
		throw new KubeadmError('no bootstrap token to print a join command with', 'show-join-command');
	if (!skipped.includes('show-join-command')) printJoinInformation(cluster, first.token, ca.cert, certificateKey);
	return 0;
}

function printJoinInformation(
	cluster: ClusterConfiguration,
	token: string,
	caPem: string,
	certificateKey: string | undefined,
): void {
	const [worker, controlPlane] = [undefined, certificateKey].map((key) =>
		joinCommand(cluster.controlPlaneEndpoint, token, caPem, key).replace(
			/ --(discovery-token-ca-cert-hash|control-plane) /g,
			' \\\n\t--$1 ',
		),
	);
	const controlPlaneJoin =
		certificateKey === undefined
			? `You can now join any number of control-plane nodes by copying certificate authorities\nand service account keys on each node and then running the following as root:\n\n  ${worker} \\\n\t--control-plane\n`
			: `You can now join any number of control-plane nodes running the following command on each as root:\n\n  ${controlPlane}\n\nPlease note that the certificate-key gives access to cluster sensitive data, keep it secret!\nAs a safeguard, uploaded-certs will be deleted in two hours; If necessary, you can use\n"kubeadm init phase upload-certs --upload-certs" to reload certs afterward.\n`;
	say(`
Your Kubernetes control-plane has initialized successfully!

To start using your cluster, you need to run the following as a regular user:

  mkdir -p $HOME/.kube
  sudo cp -i /etc/kubernetes/admin.conf $HOME/.kube/config
  sudo chown $(id -u):$(id -g) $HOME/.kube/config

Alternatively, if you are the root user, you can run:

  export KUBECONFIG=/etc/kubernetes/admin.conf

You should now deploy a pod network to the cluster.
Run "kubectl apply -f [podnetwork].yaml" with one of the options listed at:
  https://kubernetes.io/docs/concepts/cluster-administration/addons/

${controlPlaneJoin}
Then you can join any number of worker nodes by running the following on each as root:

${worker}`);
}
