import type {SectionOutput} from '../sections.ts';
import {lastLine} from '../sections.ts';
import type {CertificateExpiry, CertificatesStatus} from '../types.ts';

/**
kubeadm's own table of the control plane's certificates (its PKI and the kubeconfig files), the list that
`kubeadm certs renew all` renews. It reads the cluster's kubeadm-config through admin.conf, and falls back to
kubeadm's defaults when the API does not answer, so it answers on a control plane whose API server is down too.
*/
export const certificateExpiryCommand = 'kubeadm certs check-expiration';

const seconds = {s: 1, m: 60, h: 3600, d: 86_400, y: 365 * 86_400} as const;

/**
The least time left that kubeadm's RESIDUAL TIME (apimachinery's ShortHumanDuration, whole units rounded down)
stands for: `4d` is at least 4 days, `<invalid>` expired. Read from the node's own clock, which is the one that
judges the certificate.
*/
export function residualSeconds(text: string): number | undefined {
	if (text === '<invalid>') return -1;
	const match = /^(\d+)([smhdy])$/.exec(text);
	return match ? Number(match[1]) * seconds[match[2] as keyof typeof seconds] : undefined;
}

/** A row: NAME, EXPIRES (`Jan 02, 2006 15:04 MST`), RESIDUAL TIME, [CERTIFICATE AUTHORITY,] EXTERNALLY MANAGED. */
const row = /^(\S+)\s+([A-Z][a-z]{2} \d{2}, \d{4} \d{2}:\d{2} \S+)\s+(\S+)\s+(?:(\S+)\s+)?(yes|no)\s*$/;

/** The certificates and authorities of `kubeadm certs check-expiration`, and the earliest to expire. */
export function parseCertificateExpiry({text, exitCode}: SectionOutput): CertificatesStatus {
	if (exitCode !== 0) return {answered: false, error: lastLine(text)};
	const entries: CertificateExpiry[] = [];
	const missing: string[] = [];
	let authority: boolean | undefined;
	for (const line of text.split('\n')) {
		if (/^CERTIFICATE\s+EXPIRES\s/.test(line)) authority = false;
		else if (/^CERTIFICATE AUTHORITY\s+EXPIRES\s/.test(line)) authority = true;
		else if (authority !== undefined && line.startsWith('!MISSING! ')) missing.push(line.slice(10).trim());
		else if (authority !== undefined) {
			const match = row.exec(line);
			const left = residualSeconds(match?.[3] ?? '');
			if (match && left !== undefined) {
				entries.push({
					name: match[1] ?? '',
					expires: match[2] ?? '',
					residual: match[3] ?? '',
					residualSeconds: left,
					authority,
					externallyManaged: match[5] === 'yes',
				});
			}
		}
	}
	const [earliest] = [...entries].sort((a, b) => a.residualSeconds - b.residualSeconds);
	if (earliest === undefined) return {answered: false, error: `no certificate in kubeadm's output: ${lastLine(text)}`};
	return {answered: true, earliest, entries, missing};
}
