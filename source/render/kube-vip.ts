import {type ClusterSpec, firstControlPlane, hasRole} from '../spec/cluster.ts';
import type {NodeSpec} from '../spec/schema.ts';
import {staticPodFile} from './static-pod.ts';
import type {NodeRenderer} from './types.ts';
import {vipInterface, vipOnly} from './vip.ts';

/** The newest kube-vip release (2026-08-10). */
export const defaultKubeVipImage = 'ghcr.io/kube-vip/kube-vip:v1.2.3';

const adminConf = '/etc/kubernetes/admin.conf';
const superAdminConf = '/etc/kubernetes/super-admin.conf';

/**
From Kubernetes 1.29 on, `kubeadm init` writes super-admin.conf (group system:masters) on the first control
plane, and admin.conf gets its rights from a ClusterRoleBinding that only exists once the API server is up.
*/
const superAdminFromMinor = 29;

function kubernetesMinor(spec: ClusterSpec): number {
	const minor = /^v?\d+\.(\d+)/.exec(spec.kubernetes.version)?.[1];
	if (minor === undefined) {
		throw new Error(`kubernetes.version ${spec.kubernetes.version} is not x.y.z`);
	}

	return Number(minor);
}

/** True when kube-vip on this node needs super-admin.conf to get through `kubeadm init` (kube-vip#684). */
export function needsSuperAdmin(spec: ClusterSpec, node: NodeSpec): boolean {
	return node.name === firstControlPlane(spec)?.name && kubernetesMinor(spec) >= superAdminFromMinor;
}

/** kube-vip as a static pod on every control plane (loadBalancer.mode: kube-vip): ARP, leader election. */
export const kubeVipFiles: NodeRenderer = (context, node) => {
	const {spec} = context;
	if (spec.loadBalancer.mode !== 'kube-vip' || !hasRole(node, 'control-plane')) {
		return [];
	}

	const superAdmin = needsSuperAdmin(spec, node);
	const value = (name: string, text: string | number | boolean) => ({name, value: String(text)});
	return [
		staticPodFile(
			{
				apiVersion: 'v1',
				kind: 'Pod',
				metadata: {name: 'kube-vip', namespace: 'kube-system', labels: {component: 'kube-vip'}},
				spec: {
					hostNetwork: true,
					priorityClassName: 'system-node-critical',
					// kube-vip reaches the API server it runs beside as https://kubernetes:<port>, which is in
					// the API server's certificate, before the VIP exists.
					hostAliases: [{ip: '127.0.0.1', hostnames: ['kubernetes']}],
					containers: [
						{
							name: 'kube-vip',
							image: spec.loadBalancer.images?.kubeVip ?? defaultKubeVipImage,
							imagePullPolicy: 'IfNotPresent',
							args: ['manager'],
							env: [
								value('vip_arp', true),
								value('port', spec.apiServer.bindPort),
								value('vip_interface', vipInterface(spec, node)),
								value('cp_enable', true),
								value('cp_namespace', 'kube-system'),
								value('vip_leaderelection', true),
								value('vip_leaseduration', 5),
								value('vip_renewdeadline', 3),
								value('vip_retryperiod', 1),
								value('address', vipOnly(spec)),
							],
							securityContext: {capabilities: {add: ['NET_ADMIN', 'NET_RAW']}},
							volumeMounts: [{name: 'kubeconfig', mountPath: adminConf, readOnly: true}],
						},
					],
					volumes: [{name: 'kubeconfig', hostPath: {path: superAdmin ? superAdminConf : adminConf, type: 'File'}}],
				},
			},
			superAdmin
				? [
						'Rendered by kubeha: kube-vip, which announces the API VIP from the leading control plane.',
						`This is the first control plane, where \`kubeadm init\` runs: kube-vip reads ${superAdminConf}.`,
						`Since Kubernetes 1.29 ${adminConf} has no rights until the API server is up, so kube-vip could not`,
						'take its lease, the VIP would never come up and `kubeadm init` would time out (kube-vip#684).',
						`Once the cluster is up, point the volume back at ${adminConf}: super-admin.conf bypasses RBAC.`,
					]
				: [
						'Rendered by kubeha: kube-vip, which announces the API VIP from the leading control plane.',
						`It reads ${adminConf}, which \`kubeadm join\` writes and which has its rights by then.`,
					],
		),
	];
};
