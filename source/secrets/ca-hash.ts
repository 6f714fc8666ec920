import {createHash, X509Certificate} from 'node:crypto';

/**
The pin kubeadm's `discovery.bootstrapToken.caCertHashes` expects: `sha256:` and the hex SHA-256 of the CA's
DER SubjectPublicKeyInfo (what `openssl x509 -pubkey | openssl pkey -pubin -outform der | sha256sum` prints).
Pure, and remembered: every join file of a large cluster pins the same CA, and parsing it is the costly part.
*/
export function caCertHash(pem: string): string {
	let hash = known.get(pem);
	if (hash === undefined) {
		const spki = new X509Certificate(pem).publicKey.export({type: 'spki', format: 'der'});
		hash = `sha256:${createHash('sha256').update(spki).digest('hex')}`;
		known.set(pem, hash);
	}

	return hash;
}

const known = new Map<string, string>();
