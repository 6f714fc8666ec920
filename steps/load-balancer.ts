import {haproxyConfigPath} from '../source/render/haproxy.ts';
import {
	checkApiserverPath,
	checkHaproxyPath,
	initialMaster,
	keepalivedConfigPath,
} from '../source/render/keepalived.ts';
import {restartDropInPath} from '../source/render/service-restart.ts';
import {manifestsDirectory} from '../source/render/static-pod.ts';
import {vipInterface, vipOnly} from '../source/render/vip.ts';
import {sh} from '../source/runner/shell.ts';
import {writeFileScript} from '../source/runner/write-file.ts';
import {loadBalancerNodes} from '../source/spec/cluster.ts';
import {
	haproxyCheck,
	haproxyRunDirectoryFile,
	haproxyRunDirectoryTask,
	haproxySelinuxTask,
	haproxyServiceTask,
	keepalivedCheck,
	keepalivedServiceTask,
	loadBalancerPackagesTask,
	restartPodOnChangeTask,
	vipUpTask,
} from './scripts/load-balancer.ts';
import type {OsFamily} from './scripts/os.ts';
import {files, type HostPlan, rendered, tasks} from './scripts/plan.ts';
import {daemonReloadTask} from './scripts/tasks.ts';
import {firstControlPlaneOnly} from './support/hosts.ts';
import type {PlanStepDefinition} from './support/plan-step.ts';
import type {HostView} from './types.ts';

export const kubeVipManifestPath = `${manifestsDirectory}/kube-vip.yaml`;

/**
The API endpoint before kubeadm init needs it: keepalived and haproxy on the load-balancer nodes (as services,
or as static pods the kubelet starts), or kube-vip's manifest on the first control plane. One node at a time, so
that the restarts a changed config needs never take keepalived or haproxy down on every node at once.
*/
export const loadBalancer: PlanStepDefinition = {
	id: 'load-balancer',
	title: 'Set up the API endpoint (keepalived and haproxy, or kube-vip)',
	hosts(spec) {
		switch (spec.loadBalancer.mode) {
			case 'keepalived-haproxy': {
				return loadBalancerNodes(spec);
			}

			case 'kube-vip': {
				return firstControlPlaneOnly(spec);
			}

			case 'external': {
				return [];
			}
		}
	},
	parallel: false,
	plan(view, family) {
		if (view.spec.loadBalancer.mode === 'kube-vip') {
			return kubeVipBeforeInit(view);
		}

		return view.spec.loadBalancer.deploy === 'systemd'
			? keepalivedHaproxyServices(view, family)
			: keepalivedHaproxyPods(view, family);
	},
};

const checkScripts = (view: HostView) => [rendered(view, checkApiserverPath), rendered(view, checkHaproxyPath)];

function keepalivedHaproxyServices(view: HostView, family: OsFamily): HostPlan {
	const master = initialMaster(view.spec)?.name === view.host.name;
	const dropIns = [restartDropInPath('keepalived'), restartDropInPath('haproxy')];
	return [
		// Packages first: their postinst would otherwise meet kubeha's configs as foreign conffiles.
		tasks(loadBalancerPackagesTask(family, 'systemd')),
		files(
			// The scripts before keepalived.conf, whose check (keepalived -t) looks for them.
			...checkScripts(view),
			...(family === 'dnf' ? [haproxyRunDirectoryFile] : []),
			rendered(view, haproxyConfigPath, haproxyCheck),
			rendered(view, keepalivedConfigPath, keepalivedCheck),
			...dropIns.map((path) => rendered(view, path)),
		),
		tasks(
			...(family === 'dnf' ? [haproxyRunDirectoryTask, haproxySelinuxTask] : []),
			// Before the services start, so a first start already restarts after a crash.
			daemonReloadTask(dropIns),
			haproxyServiceTask,
			keepalivedServiceTask,
			...(master ? [vipUpTask(view.host.name, vipInterface(view.spec, view.host), vipOnly(view.spec))] : []),
		),
	];
}

/** static-pod deploy: the host has no keepalived or haproxy to check the configs with; the kubelet runs them. */
function keepalivedHaproxyPods(view: HostView, family: OsFamily): HostPlan {
	return [
		tasks(loadBalancerPackagesTask(family, 'static-pod')),
		files(
			...checkScripts(view),
			rendered(view, haproxyConfigPath),
			rendered(view, keepalivedConfigPath),
			rendered(view, `${manifestsDirectory}/haproxy.yaml`),
			rendered(view, `${manifestsDirectory}/keepalived.yaml`),
		),
		tasks(
			restartPodOnChangeTask('haproxy', [haproxyConfigPath]),
			restartPodOnChangeTask('keepalived', [keepalivedConfigPath, checkApiserverPath, checkHaproxyPath]),
		),
	];
}

/**
kube-vip on the first control plane, before kubeadm init: the rendered manifest, which reads super-admin.conf
until the kube-vip step points it at admin.conf. Written only when there is none, so that a later run does not
undo that switch.
*/
function kubeVipBeforeInit(view: HostView): HostPlan {
	const {file} = rendered(view, kubeVipManifestPath);
	return [
		tasks({
			what: `kube-vip's manifest in ${kubeVipManifestPath} (the kube-vip step keeps it current after kubeadm init)`,
			check: sh`[ -e ${kubeVipManifestPath} ]`,
			act: `(\n${writeFileScript(file)}\n) >/dev/null`,
		}),
	];
}
