import type {IContainer} from 'kubernetes-models/v1';
import type {ClusterSpec} from '../spec/cluster.ts';
import {haproxyAdminSocket, haproxyConfigPath} from './haproxy.ts';
import {checkApiserverPath, checkHaproxyPath, keepalivedConfigPath} from './keepalived.ts';
import {type HostPath, hostDirectory, hostFile, staticPodFile} from './static-pod.ts';
import type {RenderedFile} from './types.ts';

/**
keepalived 2.0.20 on Alpine, the image the kubeadm HA guide uses. Its Dockerfile (osixia/docker-keepalived,
tag v2.0.20) installs curl to download keepalived and, unlike the 1.3.5 images (kubeadm#2478), does not remove
it, so the curl-based check scripts run (kubeadm PR #2481 checked the switch). Every option keepalived.conf
uses is older than keepalived 2.0.20 (keepalived's ChangeLog).
*/
export const defaultKeepalivedImage = 'osixia/keepalived:2.0.20';

/** haproxy 3.2, a long-term-support branch (maintained to 2030); haproxy.cfg passes 2.6 as well. */
export const defaultHaproxyImage = 'haproxy:3.2.19';

/** Where the osixia image's keepalived reads its configuration. */
const keepalivedImageConfigPath = '/usr/local/etc/keepalived/keepalived.conf';
/** Where the official haproxy image's default command reads its configuration. */
const haproxyImageConfigPath = '/usr/local/etc/haproxy/haproxy.cfg';
const haproxyRunDirectory = haproxyAdminSocket.slice(0, haproxyAdminSocket.lastIndexOf('/'));

/** Control-plane pods: never evicted for lack of resources, like kubeadm's own static pods. */
const critical = {priorityClassName: 'system-node-critical', hostNetwork: true} as const;

/** keepalived and haproxy as static pods, for loadBalancer.deploy: static-pod; the kubelet starts both. */
export function loadBalancerPodFiles(spec: ClusterSpec): RenderedFile[] {
	return [keepalivedPod(spec), haproxyPod(spec)];
}

/** One container on the host network with its host paths, as a critical static pod in kube-system. */
function hostNetworkPod(
	name: string,
	{image, ...container}: Omit<IContainer, 'name' | 'volumeMounts'>,
	mounts: readonly HostPath[],
	comment: readonly string[],
): RenderedFile {
	return staticPodFile(
		{
			apiVersion: 'v1',
			kind: 'Pod',
			metadata: {name, namespace: 'kube-system', labels: {component: name}},
			spec: {
				...critical,
				containers: [
					{
						name,
						image,
						imagePullPolicy: 'IfNotPresent',
						...container,
						volumeMounts: mounts.map(({mount}) => mount),
					},
				],
				volumes: mounts.map(({volume}) => volume),
			},
		},
		comment,
	);
}

function keepalivedPod(spec: ClusterSpec): RenderedFile {
	return hostNetworkPod(
		'keepalived',
		{
			image: spec.loadBalancer.images?.keepalived ?? defaultKeepalivedImage,
			command: [
				'/usr/local/sbin/keepalived',
				'--dont-fork',
				'--log-console',
				'--log-detail',
				'--vrrp',
				`--use-file=${keepalivedImageConfigPath}`,
			],
			securityContext: {capabilities: {add: ['NET_ADMIN', 'NET_BROADCAST', 'NET_RAW']}},
		},
		[
			hostFile('config', keepalivedConfigPath, keepalivedImageConfigPath),
			// The scripts keep their host paths, which keepalived.conf names, so one config serves both deploys.
			hostFile('check-apiserver', checkApiserverPath, checkApiserverPath),
			hostFile('check-haproxy', checkHaproxyPath, checkHaproxyPath),
		],
		[
			'Rendered by kubeha: keepalived, which moves the API VIP between the load-balancer nodes.',
			'It runs keepalived directly, not the image entrypoint: that one rewrites its own template config and',
			'deletes its default addresses (192.168.1.231-232) from the interfaces of the host network it shares.',
		],
	);
}

function haproxyPod(spec: ClusterSpec): RenderedFile {
	return hostNetworkPod(
		'haproxy',
		{
			image: spec.loadBalancer.images?.haproxy ?? defaultHaproxyImage,
			securityContext: {runAsUser: 0, runAsGroup: 0},
		},
		[
			hostFile('config', haproxyConfigPath, haproxyImageConfigPath),
			hostDirectory('run', haproxyRunDirectory, haproxyRunDirectory),
		],
		[
			'Rendered by kubeha: haproxy, which spreads the API port of the VIP over the API servers.',
			'It starts as root, then runs as the user haproxy (global section): the image user could not bind',
			`ports under 1024 nor create the admin socket in ${haproxyRunDirectory}, which the host owns.`,
			"No liveness probe: the HA guide's probe of /healthz through haproxy restarts haproxy whenever no API",
			'server answers (before kubeadm init, in an outage), which mends nothing and moves the VIP.',
		],
	);
}
