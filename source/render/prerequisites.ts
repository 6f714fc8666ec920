import {runsKubelet} from '../spec/cluster.ts';
import {fill} from './template.ts';
import type {NodeRenderer} from './types.ts';

export const modulesLoadPath = '/etc/modules-load.d/kubeha.conf';
export const sysctlPath = '/etc/sysctl.d/99-kubeha.conf';

/** Kernel modules and sysctls every node with a kubelet needs before kubeadm runs. */
export const prerequisiteFiles: NodeRenderer = (context, node) =>
	runsKubelet(node)
		? [
				{path: modulesLoadPath, content: fill(context, 'modules-load.conf.mustache', {}), mode: 0o644, secret: false},
				{path: sysctlPath, content: fill(context, 'sysctl.conf.mustache', {}), mode: 0o644, secret: false},
			]
		: [];
