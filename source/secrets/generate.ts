import {randomBytes, randomInt, X509Certificate} from 'node:crypto';
import {type ClusterSpec, etcdMembers} from '../spec/cluster.ts';
import type {NodeSpec} from '../spec/schema.ts';
import {type CertificateProfile, createCa, type Issuer, issueCertificate, issuerOf} from './certificates.ts';
import {bootstrapTokenAlphabet, vrrpAuthPassAlphabet, vrrpAuthPassLength} from './formats.ts';
import type {EtcdPki, KeyPair, Secrets} from './types.ts';

/**
Every secret the cluster needs. Keeps each value `existing` has and makes only what is missing, so running it
again after adding an etcd node issues that node's certificates and nothing else (or after moving a member to
another address, that member's). The one place where
randomness and the clock are used.
*/
export async function generateSecrets(spec: ClusterSpec, existing?: Secrets): Promise<Secrets> {
	const etcd =
		spec.etcd.topology === 'external' ? await completeEtcdPki(etcdMembers(spec), existing?.etcd) : existing?.etcd;
	return {
		vrrpAuthPass: existing?.vrrpAuthPass ?? randomString(vrrpAuthPassAlphabet, vrrpAuthPassLength),
		bootstrapToken:
			existing?.bootstrapToken ??
			`${randomString(bootstrapTokenAlphabet, 6)}.${randomString(bootstrapTokenAlphabet, 16)}`,
		certificateKey: existing?.certificateKey ?? randomBytes(32).toString('hex'),
		clusterCa: existing?.clusterCa ?? (await createCa('kubernetes')),
		...(etcd === undefined ? {} : {etcd}),
	};
}

/** The names an etcd member's server and peer certificates carry, as kubeadm gives them (plus ::1 for local IPv6 clients). */
const etcdMemberProfile = (node: NodeSpec): CertificateProfile => ({
	commonName: node.name,
	// Like kubeadm's etcd-server and etcd-peer: both are also clients (peers dial each other, etcd's gateway dials itself).
	usages: ['serverAuth', 'clientAuth'],
	dnsNames: [node.name, 'localhost'],
	ipAddresses: [node.address, '127.0.0.1', '::1'],
});

const apiserverEtcdClientProfile: CertificateProfile = {
	commonName: 'kube-apiserver-etcd-client',
	usages: ['clientAuth'],
};

const etcdHealthcheckClientProfile: CertificateProfile = {
	commonName: 'kube-etcd-healthcheck-client',
	usages: ['clientAuth'],
};

async function completeEtcdPki(members: readonly NodeSpec[], existing?: EtcdPki): Promise<EtcdPki> {
	const ca = existing?.ca ?? (await createCa('etcd-ca'));
	let issuer: Issuer | undefined;
	// Loading the CA key costs an import; skip it when every certificate is already there.
	const issue = async (profile: CertificateProfile): Promise<KeyPair> => {
		issuer ??= await issuerOf(ca);
		return issueCertificate(issuer, profile);
	};

	const issued: Record<string, EtcdPki['members'][string]> = {...existing?.members};
	for (const node of members) {
		const kept = issued[node.name];
		if (kept === undefined || !namesAddress(kept.server, node) || !namesAddress(kept.peer, node)) {
			issued[node.name] = {server: await issue(etcdMemberProfile(node)), peer: await issue(etcdMemberProfile(node))};
		}
	}

	return {
		ca,
		members: issued,
		apiserverClient: existing?.apiserverClient ?? (await issue(apiserverEtcdClientProfile)),
		healthcheckClient: existing?.healthcheckClient ?? (await issue(etcdHealthcheckClientProfile)),
	};
}

/**
Whether a member's certificate names its address: a member removed and added again under the same name at
another address needs new ones, or its peers and clients refuse it (the address is not in the certificate).
*/
const namesAddress = (pair: KeyPair, node: NodeSpec): boolean =>
	new X509Certificate(pair.cert).checkIP(node.address) !== undefined;

/** Uniformly random characters (randomInt rejects biased draws). */
function randomString(alphabet: string, length: number): string {
	return Array.from({length}, () => alphabet[randomInt(alphabet.length)]).join('');
}
