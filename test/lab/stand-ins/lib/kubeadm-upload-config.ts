// Test fixture for the lab's kubeadm stand-in: the upload-config (kubeadm) phase, run by `kubeadm init` and on its
// own as `kubeadm init phase upload-config kubeadm --config F`. As kubeadm's UploadConfiguration, it stores the
// file's ClusterConfiguration (with kubeadm's defaults) in kube-system/kubeadm-config: it creates the ConfigMap,
// or sets the ClusterConfiguration key of the one there, leaving any other key as it was. kubeadm also makes sure
// of the Role and RoleBinding that let nodes and bootstrap tokens read it; the stand-in's authorization has that
// rule built in (kube-apiserver-api.ts), so there is nothing to create.
import {KubeApiError, kubeJson, type Target} from './kube-client.ts';
import {configMap, type KubeObject} from './kube-objects.ts';
import {type ClusterConfiguration, clusterConfigurationText, readInitConfiguration} from './kubeadm-config.ts';
import {kubeconfigTarget} from './kubeadm-token.ts';
import {NotModelled} from './not-modelled.ts';

const configMaps = '/api/v1/namespaces/kube-system/configmaps';
const name = 'kubeadm-config';
const key = 'ClusterConfiguration';

/** The kubeadm-config ConfigMap as kubeadm creates it. */
export const kubeadmConfigMap = (cluster: ClusterConfiguration): KubeObject =>
	configMap('kube-system', name, {[key]: clusterConfigurationText(cluster)});

/** The existing ConfigMap with its ClusterConfiguration replaced (kubeadm's mutation), the rest as it was. */
export function withClusterConfiguration(existing: KubeObject, cluster: ClusterConfiguration): KubeObject {
	const data = (existing['data'] ?? {}) as Record<string, string>;
	return {...existing, data: {...data, [key]: clusterConfigurationText(cluster)}};
}

/** The phase: create kubeadm-config, or mutate the one there. */
export async function uploadKubeadmConfig(target: Target, cluster: ClusterConfiguration): Promise<void> {
	process.stdout.write(
		`[upload-config] Storing the configuration used in ConfigMap "${name}" in the "kube-system" Namespace\n`,
	);
	try {
		await kubeJson(target, 'POST', configMaps, kubeadmConfigMap(cluster));
	} catch (error) {
		if (!(error instanceof KubeApiError && error.status === 409)) throw error;
		const existing = await kubeJson<KubeObject>(target, 'GET', `${configMaps}/${name}`);
		await kubeJson(target, 'PUT', `${configMaps}/${name}`, withClusterConfiguration(existing, cluster));
	}
}

export type UploadConfigOptions = {configPath?: string; kubeconfig?: string};

/** `kubeadm init phase upload-config kubeadm --config F [--kubeconfig K]`, through admin.conf by default. */
export async function uploadConfigPhase(options: UploadConfigOptions): Promise<number> {
	if (options.configPath === undefined) {
		throw new NotModelled(
			'init phase upload-config kubeadm without --config (kubeadm would upload its defaults; kubeha always passes its file)',
		);
	}
	const {cluster} = readInitConfiguration(options.configPath);
	await uploadKubeadmConfig(kubeconfigTarget(options.kubeconfig), cluster);
	return 0;
}
