import {parse, stringify} from 'yaml';
import {type ClusterSpec, controlPlaneEndpoint} from '../../source/spec/cluster.ts';

type Named<T> = {name?: string} & T;
type Kubeconfig = {
	clusters?: Named<{cluster?: {server?: string}}>[];
	users?: Named<object>[];
	contexts?: Named<{context?: {cluster?: string; user?: string}}>[];
	'current-context'?: string;
};

/**
kubeadm's admin.conf as the operator's kubeconfig: the server is the control plane endpoint (the VIP or the
external load balancer, never one node), and the cluster, user and context are named after the cluster instead
of kubeadm's generic "kubernetes" and "kubernetes-admin", so it merges with other clusters' kubeconfigs.
*/
export function operatorKubeconfig(adminConf: string, spec: ClusterSpec): string {
	const config = parse(adminConf) as Kubeconfig | null;
	const endpoint = controlPlaneEndpoint(spec);
	const [cluster] = config?.clusters ?? [];
	const [user] = config?.users ?? [];
	const [context] = config?.contexts ?? [];
	if (!config || !cluster?.cluster || !user || !context?.context || endpoint === undefined) {
		throw new Error(`/etc/kubernetes/admin.conf is not the kubeconfig kubeadm writes (one cluster, user and context).`);
	}

	const userName = `${spec.name}-admin`;
	cluster.name = spec.name;
	cluster.cluster.server = `https://${endpoint}`;
	user.name = userName;
	context.name = spec.name;
	context.context.cluster = spec.name;
	context.context.user = userName;
	config['current-context'] = spec.name;
	return stringify(config, {lineWidth: 0});
}
