import {needsSuperAdmin} from '../source/render/kube-vip.ts';
import {controlPlanes} from '../source/spec/cluster.ts';
import {kubeVipManifestPath} from './load-balancer.ts';
import {kubeVipAfterInit} from './scripts/kube-vip.ts';
import {files, rendered} from './scripts/plan.ts';
import type {PlanStepDefinition} from './support/plan-step.ts';

/**
kube-vip on every control plane once it is part of the cluster: the joined ones get their manifest (it reads
admin.conf, which kubeadm join writes), the first one its manifest switched from super-admin.conf to admin.conf.
One at a time, so that kube-vip restarts on one node while the others hold the VIP.
*/
export const kubeVip: PlanStepDefinition = {
	id: 'kube-vip',
	title: 'Run kube-vip on every control plane with admin.conf',
	hosts: (spec) => (spec.loadBalancer.mode === 'kube-vip' ? controlPlanes(spec) : []),
	parallel: false,
	plan(view) {
		const manifest = rendered(view, kubeVipManifestPath);
		if (!needsSuperAdmin(view.spec, view.host)) {
			return [files(manifest)];
		}

		return [files({file: {...manifest.file, content: kubeVipAfterInit(manifest.file.content)}, origin: 'generated'})];
	},
};
