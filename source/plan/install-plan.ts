import {kubeVip} from '../../steps/kube-vip.ts';
import type {Step} from '../../steps/types.ts';
import type {HostFiles} from '../render/types.ts';
import {type ClusterSpec, controlPlaneEndpoint} from '../spec/cluster.ts';

/** What `kubeha apply` shows before it asks to go on: the cluster in one line, then each step and its hosts. */
export function planSummary(spec: ClusterSpec, steps: readonly Step[]): string {
	const {loadBalancer} = spec;
	const balancer =
		loadBalancer.mode === 'keepalived-haproxy' ? `keepalived-haproxy (${loadBalancer.deploy})` : loadBalancer.mode;
	const width = Math.max(...steps.map((step) => step.id.length));
	return [
		`cluster ${spec.name}: Kubernetes ${spec.kubernetes.version}, ${balancer}, ${spec.etcd.topology} etcd, endpoint ${controlPlaneEndpoint(spec)}, ${spec.nodes.length} nodes`,
		...steps.map((step, index) => {
			const hosts = step.hosts(spec).map((node) => node.name);
			return `${String(index + 1).padStart(3)}. ${step.id.padEnd(width)}  ${hosts.join(', ') || '(nothing to do for this spec)'}`;
		}),
		'each step checks each host first and leaves what is already in place alone.',
	].join('\n');
}

/**
The rendered files as the install leaves them on each host. One step rewrites a rendered file: kube-vip's, which
points the first control plane's manifest at admin.conf once kubeadm init is done (steps/kube-vip.ts); its
version is what the host keeps, so that is what the host is compared with.
*/
export function installedFiles(spec: ClusterSpec, hosts: readonly HostFiles[]): HostFiles[] {
	const rewriting = new Set(kubeVip.hosts(spec).map((node) => node.name));
	return hosts.map((host) => {
		const node = spec.nodes.find((candidate) => candidate.name === host.node);
		if (node === undefined || !rewriting.has(host.node)) {
			return host;
		}

		const written = new Map(
			kubeVip
				.plan({host: node, spec, files: host.files}, 'apt')
				.flatMap((action) => (action.kind === 'files' ? action.files.map((put) => put.file) : []))
				.map((file) => [file.path, file.content]),
		);
		return {...host, files: host.files.map((file) => ({...file, content: written.get(file.path) ?? file.content}))};
	});
}
