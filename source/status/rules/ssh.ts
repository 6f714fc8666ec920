import type {ClusterSpec} from '../../spec/cluster.ts';
import type {ClusterStatus, Problem} from '../types.ts';

/** A node kubeha could not ask: every check of it is unknown, and it may well be down. */
export const sshProblems = (status: ClusterStatus, spec: ClusterSpec): Problem[] =>
	status.hosts
		.filter((host) => !host.reachable)
		.map((host) => ({
			node: host.node,
			what: `${host.node} (${host.address}) is not reachable over ssh`,
			why: host.error ?? 'ssh failed',
			fix: `check that ${host.node} is up and that \`ssh -p ${spec.ssh.port} ${spec.ssh.user}@${host.address}\` works from here (ssh.user, ssh.port, ssh.identityFile, known_hosts); until then nothing on it can be checked.`,
		}));
