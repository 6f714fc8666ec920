import {createHash, X509Certificate} from 'node:crypto';

/**
The pin kubeadm's `discovery.bootstrapToken.caCertHashes` expects: `sha256:` and the hex SHA-256 of the CA's
DER SubjectPublicKeyInfo (what `openssl x509 -pubkey | openssl pkey -pubin -outform der | sha256sum` prints).
Pure.
*/
export function caCertHash(pem: string): string {
	const spki = new X509Certificate(pem).publicKey.export({type: 'spki', format: 'der'});
	return `sha256:${createHash('sha256').update(spki).digest('hex')}`;
}
