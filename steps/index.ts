import {cni} from './cni.ts';
import {downloadComponents} from './download-components.ts';
import {etcd} from './etcd.ts';
import {etcdEndpoints} from './etcd-endpoints.ts';
import {etcdHealth} from './etcd-health.ts';
import {etcdPackages} from './etcd-packages.ts';
import {gatherFacts} from './gather-facts.ts';
import {joinControlPlanes} from './join-control-planes.ts';
import {joinCredentials} from './join-credentials.ts';
import {joinWorkers} from './join-workers.ts';
import {kubeVip} from './kube-vip.ts';
import {kubeadmInit} from './kubeadm-init.ts';
import {kubeconfig} from './kubeconfig.ts';
import {loadBalancer} from './load-balancer.ts';
import {preflight} from './preflight.ts';
import {prerequisites} from './prerequisites.ts';
import type {InstallRun} from './support/install-run.ts';
import {type BundlePart, fromPlan, type InstallStep} from './support/plan-step.ts';
import type {Step} from './types.ts';
import {verify, verifyBundle} from './verify.ts';

/**
The install, in order. Reading and checking come first and change nothing; the endpoint (load balancer, etcd)
is up before kubeadm init needs it; the network plugin follows init; joins use fresh credentials; kube-vip
runs on the control planes once they have joined; verify closes.
*/
const installOrder: readonly InstallStep[] = [
	{step: gatherFacts},
	{step: preflight},
	fromPlan(downloadComponents),
	fromPlan(prerequisites),
	fromPlan(loadBalancer),
	fromPlan(etcdPackages),
	fromPlan(etcd),
	fromPlan(etcdHealth),
	fromPlan(kubeadmInit),
	fromPlan(etcdEndpoints),
	{step: kubeconfig},
	fromPlan(cni),
	fromPlan(joinCredentials),
	fromPlan(joinControlPlanes),
	fromPlan(kubeVip),
	fromPlan(joinWorkers),
	{step: verify, bundle: verifyBundle},
];

/** The steps of one run of `kubeha apply`. */
export const installSteps = (run: InstallRun): Step[] => installOrder.map((entry) => entry.step(run));

/**
What each host's apply.sh carries, in the same order; gathering facts, preflight and fetching the kubeconfig
stay with kubeha apply.
*/
export const bundleParts: readonly BundlePart[] = installOrder.flatMap((entry) => (entry.bundle ? [entry.bundle] : []));
