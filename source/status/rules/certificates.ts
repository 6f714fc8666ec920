import type {ClusterSpec} from '../../spec/cluster.ts';
import type {CertificateExpiry, ClusterStatus, Problem} from '../types.ts';

const day = 86_400;
/** Under this a control plane's certificates degrade the cluster: a week is what a renewal must fit in. */
export const degradedBelowSeconds = 7 * day;
/** Under this they are worth a warning: kubeadm's certificates last a year. */
export const warnBelowSeconds = 30 * day;

const left = (entry: CertificateExpiry): string =>
	entry.residualSeconds < 0 ? 'expired' : `expires in ${entry.residual} (${entry.expires})`;

/** The fix: kubeadm renews its certificates, not its CAs, and not those of an external CA. */
function fixFor(entry: CertificateExpiry): string {
	if (entry.authority) {
		return `kubeadm does not renew its certificate authorities: replace ${entry.name} (kubeadm's "Manual certificate renewal" and CA rotation docs) before it expires.`;
	}
	if (entry.externallyManaged) {
		return `${entry.name} is signed by an external CA: have it signed again there and copy it to the node.`;
	}
	return 'run `kubeha certs renew -c cluster.yaml`: it renews them on one control plane at a time and restarts its static pods (`--schedule` renews them from then on).';
}

function judged(status: ClusterStatus, below: number, above: number): Problem[] {
	return status.hosts.flatMap((host) => {
		const certificates = host.certificates;
		if (!certificates?.answered) return [];
		const {earliest} = certificates;
		if (earliest.residualSeconds >= below || earliest.residualSeconds < above) return [];
		const soon = certificates.entries
			.filter((entry) => entry.residualSeconds < below)
			.map((entry) => entry.name)
			.join(', ');
		return [
			{
				node: host.node,
				what: `certificates on ${host.node} ${earliest.residualSeconds < 0 ? 'have expired' : 'expire soon'}: ${soon}`,
				why: `\`kubeadm certs check-expiration\` on ${host.node}: ${earliest.name} ${left(earliest)}, by the node's clock; an expired certificate stops its control plane`,
				fix: fixFor(earliest),
			},
		];
	});
}

/** A control plane whose earliest kubeadm certificate (or CA) has less than 7 days left, or has expired. */
export const certificateProblems = (status: ClusterStatus, _spec: ClusterSpec): Problem[] =>
	judged(status, degradedBelowSeconds, Number.NEGATIVE_INFINITY);

/** One with 7 to 30 days left: not degraded yet, but worth a renewal. */
export const certificateWarnings = (status: ClusterStatus, _spec: ClusterSpec): Problem[] =>
	judged(status, warnBelowSeconds, degradedBelowSeconds);
