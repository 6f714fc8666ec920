import type {Secrets} from '../secrets/types.ts';
import type {ClusterSpec} from '../spec/cluster.ts';
import {etcdFiles} from './etcd.ts';
import {kubeVipFiles} from './kube-vip.ts';
import {kubeadmFiles} from './kubeadm.ts';
import {loadBalancerFiles} from './load-balancer.ts';
import {prerequisiteFiles} from './prerequisites.ts';
import type {HostFiles, NodeRenderer, RenderContext, Templates} from './types.ts';

/** Every concern's renderer; each returns nothing for nodes it does not concern. */
const renderers: readonly NodeRenderer[] = [
	prerequisiteFiles,
	kubeadmFiles,
	etcdFiles,
	loadBalancerFiles,
	kubeVipFiles,
];

/**
Every file every node needs. Pure: the same spec, secrets and templates give byte-identical files.
The spec must be valid (see `validateSpec`): the renderer does not repeat the checks.
*/
export function renderCluster(spec: ClusterSpec, secrets: Secrets, templates: Templates): HostFiles[] {
	const context: RenderContext = {spec, secrets, templates};
	return spec.nodes.map((node) => ({
		node: node.name,
		files: renderers
			.flatMap((render) => render(context, node))
			.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
	}));
}
