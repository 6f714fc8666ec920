import type {KeyPair, Secrets} from '../secrets/types.ts';

/** Replaces every secret value in a text with `<redacted>`. */
export type Redact = (text: string) => string;

export const redactedMarker = '<redacted>';

/**
Lines of a PEM body shorter than this are not redacted alone: a key's short last line ("AB==") could match
innocent text, and a few characters of a key reveal nothing.
*/
const shortestPemLine = 16;

const privateKeys = (secrets: Secrets): KeyPair['key'][] => {
	const {etcd} = secrets;
	const pairs = [
		secrets.clusterCa,
		...(etcd
			? [
					etcd.ca,
					etcd.apiserverClient,
					etcd.healthcheckClient,
					...Object.values(etcd.members).flatMap((m) => [m.server, m.peer]),
				]
			: []),
	];
	return pairs.map((pair) => pair.key);
};

/** Every text that must not be shown: whole values, and the pieces output may carry them in. */
function secretTexts(secrets: Secrets): string[] {
	// Output arrives line by line, so a key printed by `cat` shows up one PEM line per event.
	const pemLines = (pem: string) =>
		pem.split('\n').filter((line) => line.length >= shortestPemLine && !line.startsWith('-----'));
	// The token's secret half (after the dot) is what kubeadm and Kubernetes store and print on its own.
	const tokenSecret = secrets.bootstrapToken.split('.')[1] ?? '';
	return [
		secrets.vrrpAuthPass,
		secrets.bootstrapToken,
		tokenSecret,
		secrets.certificateKey,
		...privateKeys(secrets).flatMap((key) => [key, key.trim(), ...pemLines(key)]),
	];
}

/**
A redactor for these secrets. Certificates are public and stay; passwords, tokens and private keys go. Longer
texts are replaced first, so a whole key is one `<redacted>` rather than one per line.
*/
export function redactor(secrets: Secrets): Redact {
	const texts = [...new Set(secretTexts(secrets).filter((text) => text.length > 0))].sort(
		(a, b) => b.length - a.length,
	);
	return (text) => texts.reduce((redacted, secret) => redacted.split(secret).join(redactedMarker), text);
}
