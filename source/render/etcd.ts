import type {EtcdPki, KeyPair} from '../secrets/types.ts';
import {type ClusterSpec, etcdMembers, hasRole} from '../spec/cluster.ts';
import type {NodeSpec} from '../spec/schema.ts';
import {fill} from './template.ts';
import type {NodeRenderer, RenderContext, RenderedFile} from './types.ts';

export const etcdClientPort = 2379;
export const etcdPeerPort = 2380;

type PairPaths = {readonly cert: string; readonly key: string};

const pkiDirectory = '/etc/kubernetes/pki';
/** kubeadm's own layout, so `kubeadm` and etcdctl habits from its docs work unchanged. */
export const etcdCaCertPath = `${pkiDirectory}/etcd/ca.crt`;
export const apiserverEtcdClientPaths: PairPaths = {
	cert: `${pkiDirectory}/apiserver-etcd-client.crt`,
	key: `${pkiDirectory}/apiserver-etcd-client.key`,
};
export const etcdMemberPaths = {
	server: {cert: `${pkiDirectory}/etcd/server.crt`, key: `${pkiDirectory}/etcd/server.key`},
	peer: {cert: `${pkiDirectory}/etcd/peer.crt`, key: `${pkiDirectory}/etcd/peer.key`},
	healthcheckClient: {
		cert: `${pkiDirectory}/etcd/healthcheck-client.crt`,
		key: `${pkiDirectory}/etcd/healthcheck-client.key`,
	},
} as const;

/** A member's URL for the other members; ETCD_INITIAL_CLUSTER must list exactly these. */
export const etcdPeerUrl = (node: NodeSpec): string => `https://${node.address}:${etcdPeerPort}`;
export const etcdClientUrl = (node: NodeSpec): string => `https://${node.address}:${etcdClientPort}`;

/** `name=peer URL` of every member: how a member (a new one, or one restored from a snapshot) finds the others. */
export const etcdInitialCluster = (spec: ClusterSpec): string =>
	etcdMembers(spec)
		.map((peer) => `${peer.name}=${etcdPeerUrl(peer)}`)
		.join(',');

/** Keeps members of two clusters bootstrapped side by side from joining each other. */
export const etcdClusterToken = (spec: ClusterSpec): string => `${spec.name}-etcd`;

export const etcdEnvironmentPath = '/etc/etcd/etcd.env';
export const etcdUnitPath = '/etc/systemd/system/etcd.service';
export const etcdDataDirectory = '/var/lib/etcd';

/**
External etcd: on each etcd node its systemd unit, environment file and certificates; on each control plane
what kube-apiserver needs to reach etcd (the etcd CA and the apiserver-etcd-client pair).
*/
export const etcdFiles: NodeRenderer = (context, node) => {
	if (context.spec.etcd.topology !== 'external') {
		return [];
	}

	const pki = etcdPkiOf(context);
	const files = [
		...(hasRole(node, 'control-plane')
			? [caFile(pki), ...pairFiles(apiserverEtcdClientPaths, pki.apiserverClient)]
			: []),
		...(hasRole(node, 'etcd') ? memberFiles(context, pki, node) : []),
	];
	// A node that is both gets the shared CA certificate once.
	return [...new Map(files.map((file) => [file.path, file])).values()];
};

function memberFiles(context: RenderContext, pki: EtcdPki, node: NodeSpec): RenderedFile[] {
	const member = pki.members[node.name];
	if (member === undefined) {
		throw new Error(`the secrets have no etcd certificates for ${node.name}; generate the secrets again for this spec`);
	}

	const view = {
		name: node.name,
		cluster: context.spec.name,
		address: node.address,
		clientPort: etcdClientPort,
		peerPort: etcdPeerPort,
		dataDirectory: etcdDataDirectory,
		initialCluster: etcdInitialCluster(context.spec),
		clusterToken: etcdClusterToken(context.spec),
		caFile: etcdCaCertPath,
		server: etcdMemberPaths.server,
		peer: etcdMemberPaths.peer,
		environmentFile: etcdEnvironmentPath,
	};
	return [
		{path: etcdEnvironmentPath, content: fill(context, 'etcd.env.mustache', view), mode: 0o644, secret: false},
		{path: etcdUnitPath, content: fill(context, 'etcd.service.mustache', view), mode: 0o644, secret: false},
		caFile(pki),
		...pairFiles(etcdMemberPaths.server, member.server),
		...pairFiles(etcdMemberPaths.peer, member.peer),
		...pairFiles(etcdMemberPaths.healthcheckClient, pki.healthcheckClient),
	];
}

function etcdPkiOf(context: RenderContext): EtcdPki {
	if (context.secrets.etcd === undefined) {
		throw new Error('the secrets have no etcd certificates though etcd.topology is external; generate them again');
	}

	return context.secrets.etcd;
}

const caFile = (pki: EtcdPki): RenderedFile => ({
	path: etcdCaCertPath,
	content: pki.ca.cert,
	mode: 0o644,
	secret: false,
});

const pairFiles = (paths: PairPaths, pair: KeyPair): RenderedFile[] => [
	{path: paths.cert, content: pair.cert, mode: 0o644, secret: false},
	{path: paths.key, content: pair.key, mode: 0o600, secret: true},
];
