import {releaseOf} from '../components/artifacts.ts';
import {runsKubelet} from '../spec/cluster.ts';
import {fill} from './template.ts';
import type {NodeRenderer} from './types.ts';

export const modulesLoadPath = '/etc/modules-load.d/kubeha.conf';
export const sysctlPath = '/etc/sysctl.d/99-kubeha.conf';
export const containerdUnitPath = '/etc/systemd/system/containerd.service';
export const crictlConfigPath = '/etc/crictl.yaml';

/**
Kernel modules and sysctls every node with a kubelet needs before kubeadm runs, containerd's unit (the upstream
release has none) and crictl's configuration.
*/
export const prerequisiteFiles: NodeRenderer = (context, node) =>
	runsKubelet(node)
		? [
				{path: modulesLoadPath, content: fill(context, 'modules-load.conf.mustache', {}), mode: 0o644, secret: false},
				{path: sysctlPath, content: fill(context, 'sysctl.conf.mustache', {}), mode: 0o644, secret: false},
				{
					path: containerdUnitPath,
					content: fill(context, 'containerd.service.mustache', {
						version: releaseOf(context.spec, 'containerd')?.version,
					}),
					mode: 0o644,
					secret: false,
				},
				{path: crictlConfigPath, content: fill(context, 'crictl.yaml.mustache', {}), mode: 0o644, secret: false},
			]
		: [];
