import type {ClusterSpec} from '../spec/cluster.ts';
import {apiServerProblems} from './rules/api-server.ts';
import {certificateProblems, certificateWarnings} from './rules/certificates.ts';
import {etcdProblems} from './rules/etcd.ts';
import {haproxyProblems} from './rules/haproxy.ts';
import {keepalivedProblems} from './rules/keepalived.ts';
import {kubernetesProblems} from './rules/kubernetes.ts';
import {sshProblems} from './rules/ssh.ts';
import {vipProblems} from './rules/vip.ts';
import type {ClusterStatus, Problem} from './types.ts';

export type {Problem} from './types.ts';

/**
What is degraded in a probed cluster, each with the node, what, why and fix; empty when it is healthy. Pure: the
same status and spec give the same problems. What kubeha could not find out (a keepalived dump not written in
time, etcd out of its sight while the API servers reach it, no kubeconfig yet) is not a problem.
*/
export const problemsOf = (status: ClusterStatus, spec: ClusterSpec): Problem[] => [
	...sshProblems(status, spec),
	...vipProblems(status, spec),
	...keepalivedProblems(status, spec),
	...haproxyProblems(status, spec),
	...apiServerProblems(status, spec),
	...etcdProblems(status, spec),
	...kubernetesProblems(status, spec),
	...certificateProblems(status, spec),
];

/** What is not degraded yet but wants doing soon (certificates with less than 30 days left). */
export const warningsOf = (status: ClusterStatus, spec: ClusterSpec): Problem[] => [
	...certificateWarnings(status, spec),
];
