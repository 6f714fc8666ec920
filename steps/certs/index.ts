import type {Templates} from '../../source/render/types.ts';
import {type ClusterSpec, controlPlanes} from '../../source/spec/cluster.ts';
import {kubeconfig} from '../kubeconfig.ts';
import type {InstallRun} from '../support/install-run.ts';
import type {Step} from '../types.ts';
import {drainApiServer} from './drain-api-server.ts';
import {readyApiServer} from './ready-api-server.ts';
import {renewCertificates} from './renew-certificates.ts';
import {restartControlPlane} from './restart-control-plane.ts';
import {scheduleRenewal} from './schedule-renewal.ts';

/**
`kubeha certs renew`: one control plane after another, each renewed, drained in haproxy, restarted and back UP in
every haproxy before the next starts, so that never more than one API server is away; then the renewed admin
kubeconfig fetched again. Only the steps that have hosts (no haproxy steps with kube-vip).
*/
export const certificateRenewalSteps = (spec: ClusterSpec, run: InstallRun): Step[] =>
	[
		...controlPlanes(spec).flatMap((node) => [
			renewCertificates(node),
			drainApiServer(node),
			restartControlPlane(node),
			readyApiServer(node),
		]),
		kubeconfig(run),
	].filter((step) => step.hosts(spec).length > 0);

/** `kubeha certs renew --schedule`: the timers alone; they renew later, each control plane at its own time. */
export const renewalScheduleSteps = (templates: Templates, marginDays: number): Step[] => [
	scheduleRenewal(templates, marginDays),
];
