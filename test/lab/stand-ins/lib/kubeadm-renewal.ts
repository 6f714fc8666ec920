// Test fixture for the lab's kubeadm stand-in: `kubeadm certs check-expiration` and `kubeadm certs renew all`, as
// kubeadm's renewal manager does them (cmd/kubeadm/app/cmd/certs.go, phases/certs/renewal/manager.go): the
// certificates of the local PKI and those embedded in the control plane's kubeconfig files, by the host's clock.
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {parse, stringify} from 'yaml';
import {loadX509} from '../../../../source/secrets/x509.ts';
import {kubeJson} from './kube-client.ts';
import {now} from './kube-clock.ts';
import type {KubeObject} from './kube-objects.ts';
import {issueLeaf, issuerOf, type LeafProfile} from './kube-pki.ts';
import {type ClusterConfiguration, clusterConfiguration, hostAddress} from './kubeadm-config.ts';
import {kubeconfigPaths, writeFileWithMode, writePair} from './kubeadm-files.ts';
import {readKubeconfig} from './kubeconfig.ts';

/** A certificate kubeadm renews: in the PKI directory (`base`.crt/.key) or embedded in a kubeconfig file. */
type Handler = {
	name: string;
	longName: string;
	caName: string;
	/** The CA's base name in the PKI directory (etcd/ca for etcd's). */
	caBase: string;
	file: {pki: string} | {kubeconfig: string};
};

const kubeconfigHandler = (path: string, longName: string): Handler => ({
	name: path.split('/').at(-1) ?? path,
	longName,
	caName: 'ca',
	caBase: 'ca',
	file: {kubeconfig: path},
});

/** GetDefaultCertList (GetCertsWithoutEtcd with an external etcd) and the kubeconfig files, sorted by name. */
function handlers(cluster: ClusterConfiguration): Handler[] {
	const pki = (name: string, base: string, longName: string, caName: string, caBase: string): Handler => ({
		name,
		longName,
		caName,
		caBase,
		file: {pki: base},
	});
	const list: Handler[] = [
		pki('apiserver', 'apiserver', 'certificate for serving the Kubernetes API', 'ca', 'ca'),
		pki(
			'apiserver-kubelet-client',
			'apiserver-kubelet-client',
			'certificate for the API server to connect to kubelet',
			'ca',
			'ca',
		),
		pki(
			'front-proxy-client',
			'front-proxy-client',
			'certificate for the front proxy client',
			'front-proxy-ca',
			'front-proxy-ca',
		),
		...(cluster.etcd.local === undefined
			? []
			: [
					pki('etcd-server', 'etcd/server', 'certificate for serving etcd', 'etcd-ca', 'etcd/ca'),
					pki(
						'etcd-peer',
						'etcd/peer',
						'certificate for etcd nodes to communicate with each other',
						'etcd-ca',
						'etcd/ca',
					),
					pki(
						'etcd-healthcheck-client',
						'etcd/healthcheck-client',
						'certificate for liveness probes to healthcheck etcd',
						'etcd-ca',
						'etcd/ca',
					),
					pki(
						'apiserver-etcd-client',
						'apiserver-etcd-client',
						'certificate the apiserver uses to access etcd',
						'etcd-ca',
						'etcd/ca',
					),
				]),
		kubeconfigHandler(
			kubeconfigPaths.admin,
			'certificate embedded in the kubeconfig file for the admin to use and for kubeadm itself',
		),
		kubeconfigHandler(kubeconfigPaths.superAdmin, 'certificate embedded in the kubeconfig file for the super-admin'),
		kubeconfigHandler(
			kubeconfigPaths.controllerManager,
			'certificate embedded in the kubeconfig file for the controller manager to use',
		),
		kubeconfigHandler(
			kubeconfigPaths.scheduler,
			'certificate embedded in the kubeconfig file for the scheduler manager to use',
		),
	];
	return list.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** The CAs the certificates depend on, sorted by name. */
const authorities = (cluster: ClusterConfiguration) => [
	{name: 'ca', base: 'ca'},
	...(cluster.etcd.local === undefined ? [] : [{name: 'etcd-ca', base: 'etcd/ca'}]),
	{name: 'front-proxy-ca', base: 'front-proxy-ca'},
];

type KubeconfigUser = {user: Record<string, string>};

function embeddedUser(path: string): KubeconfigUser | undefined {
	const file = parse(readFileSync(path, 'utf8')) as {users?: KubeconfigUser[]};
	return file.users?.[0];
}

/** The certificate's PEM, or undefined when its file is not there (kubeadm's CertificateExists). */
function readCertificate(cluster: ClusterConfiguration, handler: Handler): string | undefined {
	if ('pki' in handler.file) {
		const path = join(cluster.certificatesDir, `${handler.file.pki}.crt`);
		return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
	}
	if (!existsSync(handler.file.kubeconfig)) return undefined;
	const data = embeddedUser(handler.file.kubeconfig)?.user['client-certificate-data'];
	return data === undefined ? undefined : Buffer.from(data, 'base64').toString();
}

/** UsingExternalCA: the CA's certificate without its key. etcd's CA is never external (IsExternallyManaged). */
const externallyManaged = (cluster: ClusterConfiguration, caBase: string): boolean =>
	caBase !== 'etcd/ca' && !existsSync(join(cluster.certificatesDir, `${caBase}.key`));

/**
getInternalCfg: the ClusterConfiguration from the kubeadm-config ConfigMap through admin.conf, or kubeadm's
defaults (a stacked etcd) when the cluster cannot be asked: renewal must work on a cluster that is down.
*/
async function internalConfiguration(prefix: string): Promise<ClusterConfiguration> {
	const local = {advertiseAddress: hostAddress(), bindPort: 6443};
	try {
		const target = {...readKubeconfig(kubeconfigPaths.admin), timeoutMs: 5000};
		const configMap = await kubeJson<KubeObject>(
			target,
			'GET',
			'/api/v1/namespaces/kube-system/configmaps/kubeadm-config',
		);
		const text = ((configMap['data'] ?? {}) as Record<string, string>)['ClusterConfiguration'] ?? '';
		process.stdout.write(
			`[${prefix}] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...\n[${prefix}] Use 'kubeadm init phase upload-config --config your-config-file' to re-upload it.\n\n`,
		);
		return clusterConfiguration(parse(text) as Record<string, unknown>, local);
	} catch {
		process.stdout.write(
			`[${prefix}] Error reading configuration from the Cluster. Falling back to default configuration\n\n`,
		);
		return clusterConfiguration(undefined, local);
	}
}

/** Go's time.Format("Jan 02, 2006 15:04 MST") of a UTC time. */
function expiresText(date: Date): string {
	const month = date.toLocaleString('en-US', {month: 'short', timeZone: 'UTC'});
	const day = String(date.getUTCDate()).padStart(2, '0');
	const time = `${String(date.getUTCHours()).padStart(2, '0')}:${String(date.getUTCMinutes()).padStart(2, '0')}`;
	return `${month} ${day}, ${date.getUTCFullYear()} ${time} UTC`;
}

/** k8s.io/apimachinery's duration.ShortHumanDuration. */
export function shortHumanDuration(milliseconds: number): string {
	const seconds = Math.trunc(milliseconds / 1000);
	if (seconds < -1) return '<invalid>';
	if (seconds < 0) return '0s';
	if (seconds < 60) return `${seconds}s`;
	const minutes = Math.trunc(seconds / 60);
	if (minutes < 60) return `${minutes}m`;
	const hours = Math.trunc(minutes / 60);
	if (hours < 24) return `${hours}h`;
	if (hours < 24 * 365) return `${Math.trunc(hours / 24)}d`;
	return `${Math.trunc(hours / 24 / 365)}y`;
}

/**
text/tabwriter with kubeadm's settings (minwidth 10, padding 3, spaces): within a block of lines (up to an empty
one), each tab-terminated cell is padded to its column's widest plus 3, at least 10; the last cell is not padded.
*/
export function tabwriter(lines: readonly string[]): string {
	const out: string[] = [];
	let block: string[][] = [];
	const flush = () => {
		const widths: number[] = [];
		for (const cells of block) {
			cells.slice(0, -1).forEach((cell, index) => {
				widths[index] = Math.max(widths[index] ?? 0, Math.max(cell.length + 3, 10));
			});
		}
		for (const cells of block) {
			out.push(
				cells.map((cell, index) => (index < cells.length - 1 ? cell.padEnd(widths[index] ?? 0) : cell)).join(''),
			);
		}
		block = [];
	};
	for (const line of lines) {
		if (line === '') {
			flush();
			out.push('');
		} else block.push(line.split('\t'));
	}
	flush();
	return `${out.join('\n')}\n`;
}

const yesNo = (value: boolean) => (value ? 'yes' : 'no').padEnd(8);

/** `kubeadm certs check-expiration`: the two tables kubeadm prints, residual times by this host's clock. */
export async function checkExpiration(): Promise<number> {
	const cluster = await internalConfiguration('check-expiration');
	const x509 = await loadX509();
	const row = (name: string, pem: string, extra: string[]) => {
		const notAfter = new x509.X509Certificate(pem).notAfter;
		return [name, expiresText(notAfter), shortHumanDuration(notAfter.getTime() - now().getTime()), ...extra].join('\t');
	};
	const lines = ['CERTIFICATE\tEXPIRES\tRESIDUAL TIME\tCERTIFICATE AUTHORITY\tEXTERNALLY MANAGED'];
	for (const handler of handlers(cluster)) {
		const pem = readCertificate(cluster, handler);
		lines.push(
			pem === undefined
				? `!MISSING! ${handler.name}\t\t\t\t`
				: row(handler.name, pem, [handler.caName, yesNo(externallyManaged(cluster, handler.caBase))]),
		);
	}
	lines.push('', 'CERTIFICATE AUTHORITY\tEXPIRES\tRESIDUAL TIME\tEXTERNALLY MANAGED');
	for (const ca of authorities(cluster)) {
		const path = join(cluster.certificatesDir, `${ca.base}.crt`);
		lines.push(
			existsSync(path)
				? row(ca.name, readFileSync(path, 'utf8'), [yesNo(externallyManaged(cluster, ca.base))])
				: `!MISSING! ${ca.name}\t\t\t`,
		);
	}
	process.stdout.write(tabwriter(lines));
	return 0;
}

/** The renewed certificate keeps the old one's subject, names and usages (certToConfig), with a new key. */
async function profileOf(pem: string): Promise<LeafProfile> {
	const x509 = await loadX509();
	const cert = new x509.X509Certificate(pem);
	const names = cert.getExtension(x509.SubjectAlternativeNameExtension)?.names.items ?? [];
	const usages = cert.getExtension(x509.ExtendedKeyUsageExtension)?.usages ?? [];
	const organizations = cert.subjectName.getField('O');
	return {
		commonName: cert.subjectName.getField('CN')[0] ?? '',
		...(organizations.length === 0 ? {} : {organizations}),
		usages: [
			...(usages.includes(x509.ExtendedKeyUsage.serverAuth) ? ['serverAuth' as const] : []),
			...(usages.includes(x509.ExtendedKeyUsage.clientAuth) ? ['clientAuth' as const] : []),
		],
		dnsNames: names.filter((name) => name.type === 'dns').map((name) => name.value),
		ipAddresses: names.filter((name) => name.type === 'ip').map((name) => name.value),
	};
}

async function renew(cluster: ClusterConfiguration, handler: Handler, pem: string): Promise<void> {
	const directory = cluster.certificatesDir;
	const ca = {
		cert: readFileSync(join(directory, `${handler.caBase}.crt`), 'utf8'),
		key: readFileSync(join(directory, `${handler.caBase}.key`), 'utf8'),
	};
	const pair = await issueLeaf(await issuerOf(ca), await profileOf(pem));
	if ('pki' in handler.file) {
		writePair(directory, handler.file.pki, pair);
		return;
	}
	const path = handler.file.kubeconfig;
	const file = parse(readFileSync(path, 'utf8')) as {users: KubeconfigUser[]};
	for (const entry of file.users) {
		entry.user['client-certificate-data'] = Buffer.from(pair.cert).toString('base64');
		entry.user['client-key-data'] = Buffer.from(pair.key).toString('base64');
	}
	writeFileWithMode(path, stringify(file), 0o600);
}

/**
`kubeadm certs renew all`: every certificate renewed with its CA, unconditionally. Nothing running reloads them:
the static pods must be restarted, as kubeadm says at the end.
*/
export async function renewAll(): Promise<number> {
	const cluster = await internalConfiguration('renew');
	for (const handler of handlers(cluster)) {
		const pem = readCertificate(cluster, handler);
		if (pem === undefined) {
			process.stdout.write(`MISSING! ${handler.longName}\n`);
		} else if (externallyManaged(cluster, handler.caBase)) {
			process.stdout.write(`Detected external ${handler.caBase}, ${handler.longName} can't be renewed\n`);
		} else {
			await renew(cluster, handler, pem);
			process.stdout.write(`${handler.longName} renewed\n`);
		}
	}
	process.stdout.write(
		'\nDone renewing certificates. You must restart the kube-apiserver, kube-controller-manager, kube-scheduler and etcd, so that they can use the new certificates.\n',
	);
	return 0;
}
