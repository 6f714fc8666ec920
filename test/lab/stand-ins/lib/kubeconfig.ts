// Test fixture for the lab's kubeadm and kubectl stand-ins (and lab tests): kubeconfig files as kubeadm writes
// them (admin.conf, kubelet.conf…) and the credentials a client reads from one.
import {readFileSync} from 'node:fs';
import {parse, stringify} from 'yaml';

export type ClientCredentials = {cert: string; key: string} | {token: string} | {certFile: string; keyFile: string};

export type KubeconfigInput = {
	clusterName: string;
	/** https://host:port */
	server: string;
	caPem: string;
	user: string;
	credentials: ClientCredentials;
};

const base64 = (text: string): string => Buffer.from(text).toString('base64');

function userEntry(credentials: ClientCredentials): Record<string, string> {
	if ('token' in credentials) return {token: credentials.token};
	if ('certFile' in credentials) return {'client-certificate': credentials.certFile, 'client-key': credentials.keyFile};
	return {'client-certificate-data': base64(credentials.cert), 'client-key-data': base64(credentials.key)};
}

/** One cluster, one user, one context named user@cluster, as kubeadm's kubeconfig phase writes. */
export function kubeconfigText({clusterName, server, caPem, user, credentials}: KubeconfigInput): string {
	const context = `${user}@${clusterName}`;
	return stringify({
		apiVersion: 'v1',
		clusters: [{cluster: {'certificate-authority-data': base64(caPem), server}, name: clusterName}],
		contexts: [{context: {cluster: clusterName, user}, name: context}],
		'current-context': context,
		kind: 'Config',
		preferences: {},
		users: [{name: user, user: userEntry(credentials)}],
	});
}

/** The cluster part alone, as in the cluster-info ConfigMap that token discovery fetches. */
export function clusterInfoKubeconfig(server: string, caPem: string): string {
	return stringify({
		apiVersion: 'v1',
		clusters: [{cluster: {'certificate-authority-data': base64(caPem), server}, name: ''}],
		contexts: null,
		'current-context': '',
		kind: 'Config',
		preferences: {},
		users: null,
	});
}

/** Where to connect and as whom. `ca` is absent when the kubeconfig names none. */
export type Connection = {server: string; ca?: string; cert?: string; key?: string; token?: string};

type Named<T> = {name: string} & T;
type KubeconfigFile = {
	'current-context'?: string;
	contexts?: Array<Named<{context: {cluster: string; user: string}}>> | null;
	clusters?: Array<Named<{cluster: Record<string, string>}>> | null;
	users?: Array<Named<{user: Record<string, string>}>> | null;
};

/** Inline data (`…-data`, base64) or a file the entry names. */
function material(entry: Record<string, string>, field: string): string | undefined {
	const data = entry[`${field}-data`];
	if (data !== undefined) return Buffer.from(data, 'base64').toString();
	const file = entry[field];
	return file === undefined ? undefined : readFileSync(file, 'utf8');
}

/** The current context's connection, as kubectl reads a kubeconfig; throws naming what is missing. */
export function connectionFromKubeconfig(text: string, path: string): Connection {
	const file = (parse(text) ?? {}) as KubeconfigFile;
	const contextName = file['current-context'];
	const context = file.contexts?.find((entry) => entry.name === contextName)?.context;
	if (context === undefined) throw new Error(`${path}: no context "${contextName ?? ''}" (current-context)`);
	const cluster = file.clusters?.find((entry) => entry.name === context.cluster)?.cluster;
	const user = file.users?.find((entry) => entry.name === context.user)?.user;
	if (cluster?.['server'] === undefined) throw new Error(`${path}: cluster "${context.cluster}" has no server`);
	const connection: Connection = {server: cluster['server']};
	const ca = material(cluster, 'certificate-authority');
	if (ca !== undefined) connection.ca = ca;
	if (user !== undefined) {
		const cert = material(user, 'client-certificate');
		const key = material(user, 'client-key');
		if (cert !== undefined) connection.cert = cert;
		if (key !== undefined) connection.key = key;
		if (user['token'] !== undefined) connection.token = user['token'];
	}
	return connection;
}

export const readKubeconfig = (path: string): Connection => connectionFromKubeconfig(readFileSync(path, 'utf8'), path);
