import type {EtcdPki, KeyPair, Secrets} from './types.ts';

/** What stands in for a private value: fixed, so masked renders are stable, and obviously not a real value. */
export const secretPlaceholder = (name: string): string => `<secret:${name}>`;

export const isSecretPlaceholder = (value: string): boolean => /^<secret:[a-z\d-]+>$/.test(value);

const maskKey = (pair: KeyPair, name: string): KeyPair => ({cert: pair.cert, key: secretPlaceholder(`${name}-key`)});

/**
The same secrets with every private value (password, token, key) replaced by a placeholder and every
certificate kept, so that files rendered from them can be shown or bundled without leaking anything.
Deterministic.
*/
export function maskSecrets(secrets: Secrets): Secrets {
	return {
		vrrpAuthPass: secretPlaceholder('vrrp-auth-pass'),
		bootstrapToken: secretPlaceholder('bootstrap-token'),
		certificateKey: secretPlaceholder('certificate-key'),
		clusterCa: maskKey(secrets.clusterCa, 'cluster-ca'),
		...(secrets.etcd === undefined ? {} : {etcd: maskEtcd(secrets.etcd)}),
	};
}

function maskEtcd(etcd: EtcdPki): EtcdPki {
	return {
		ca: maskKey(etcd.ca, 'etcd-ca'),
		members: Object.fromEntries(
			Object.entries(etcd.members).map(([name, member]) => [
				name,
				{server: maskKey(member.server, `etcd-${name}-server`), peer: maskKey(member.peer, `etcd-${name}-peer`)},
			]),
		),
		apiserverClient: maskKey(etcd.apiserverClient, 'apiserver-etcd-client'),
		healthcheckClient: maskKey(etcd.healthcheckClient, 'etcd-healthcheck-client'),
	};
}
