// Test fixture for the lab's kubeadm stand-in: `kubeadm token create`, `kubeadm init phase upload-certs` and
// `kubeadm certs certificate-key`, which a control plane runs with admin.conf, through the controlPlaneEndpoint.
import {randomBytes} from 'node:crypto';
import {KubeApiError, kubeJson, type Target} from './kube-client.ts';
import {now} from './kube-clock.ts';
import {caCertHash} from './kube-pki.ts';
import {
	type BootstrapToken,
	defaultTokenGroup,
	defaultTokenTtl,
	generateToken,
	splitToken,
	tokenSecret,
	tokenSecretName,
} from './kube-tokens.ts';
import {uploadCerts} from './kubeadm-certs.ts';
import {
	type ClusterConfiguration,
	hostAddress,
	initConfiguration,
	readConfigDocuments,
	readInitConfiguration,
} from './kubeadm-config.ts';
import {kubeconfigPaths} from './kubeadm-files.ts';
import {apiRetryMs, readClusterConfiguration} from './kubeadm-node.ts';
import {KubeadmError} from './kubeadm-output.ts';
import {readKubeconfig} from './kubeconfig.ts';
import {NotModelled} from './not-modelled.ts';

/** `kubeadm certs certificate-key`: 32 random bytes, hex. */
export const newCertificateKey = (): string => randomBytes(32).toString('hex');

/** A connection from a kubeconfig (admin.conf by default) for kubeadm's API calls, retried while the cluster cannot be reached. */
export const kubeconfigTarget = (kubeconfig = kubeconfigPaths.admin): Target => ({
	...readKubeconfig(kubeconfig),
	retryMs: apiRetryMs,
});

/** The line `kubeadm token create --print-join-command` and `kubeadm init` print. */
export function joinCommand(endpoint: string, token: string, caPem: string, certificateKey?: string): string {
	const controlPlane = certificateKey === undefined ? '' : ` --control-plane --certificate-key ${certificateKey}`;
	return `kubeadm join ${endpoint} --token ${token} --discovery-token-ca-cert-hash ${caCertHash(caPem)}${controlPlane}`;
}

export async function createToken(target: Target, token: BootstrapToken): Promise<void> {
	await kubeJson(target, 'POST', '/api/v1/namespaces/kube-system/secrets', tokenSecret(token, now()));
}

export type TokenCreateOptions = {
	kubeconfig?: string;
	/** An InitConfiguration file: its bootstrapTokens are created, and the first one is printed. */
	configPath?: string;
	token?: string;
	ttl?: string;
	description?: string;
	usages?: string[];
	groups?: string[];
	printJoinCommand: boolean;
	certificateKey?: string;
};

/** The tokens `kubeadm token create` creates: the config file's bootstrapTokens, or one from the flags. */
function tokensToCreate(options: TokenCreateOptions): BootstrapToken[] {
	if (options.configPath !== undefined) {
		if (options.token !== undefined) throw new NotModelled('kubeadm token create TOKEN --config F');
		const documents = readConfigDocuments(options.configPath);
		return initConfiguration(documents.get('InitConfiguration'), generateToken).bootstrapTokens;
	}
	return [
		{
			token: options.token ?? generateToken(),
			ttl: options.ttl ?? defaultTokenTtl,
			...(options.description === undefined ? {} : {description: options.description}),
			usages: options.usages ?? ['signing', 'authentication'],
			groups: options.groups ?? [defaultTokenGroup],
		},
	];
}

/** kubeadm's CreateNewTokens: unlike init (UpdateOrCreateTokens), `token create` refuses a token that exists. */
async function createNewToken(target: Target, token: BootstrapToken): Promise<void> {
	const {id} = splitToken(token.token);
	const existing = await kubeJson(target, 'GET', `/api/v1/namespaces/kube-system/secrets/${tokenSecretName(id)}`).then(
		() => true,
		(error: unknown) => {
			if (error instanceof KubeApiError && error.status === 404) return false;
			throw error;
		},
	);
	if (existing) throw new KubeadmError(`a token with id "${id}" already exists`);
	await createToken(target, token);
}

export async function tokenCreate(options: TokenCreateOptions): Promise<number> {
	const target = kubeconfigTarget(options.kubeconfig);
	const tokens = tokensToCreate(options);
	for (const token of tokens) await createNewToken(target, token);
	const [{token} = {token: ''}] = tokens;
	const endpoint = new URL(target.server).host;
	process.stdout.write(
		`${options.printJoinCommand ? joinCommand(endpoint, token, target.ca ?? '', options.certificateKey) : token}\n`,
	);
	return 0;
}

/** `kubeadm token delete ID|TOKEN…`: deletes each token's Secret (the ID alone is enough, and is not secret). */
export async function tokenDelete(tokens: readonly string[], kubeconfig?: string): Promise<number> {
	if (tokens.length === 0)
		throw new KubeadmError('missing argument; \'token delete\' is missing token of form ["^([a-z0-9]{6})$"]');
	const target = kubeconfigTarget(kubeconfig);
	for (const given of tokens) {
		const id = /^[a-z0-9]{6}$/.test(given) ? given : splitToken(given).id;
		await kubeJson(target, 'DELETE', `/api/v1/namespaces/kube-system/secrets/${tokenSecretName(id)}`).catch(
			(error: unknown) => {
				if (error instanceof KubeApiError)
					throw new KubeadmError(`failed to delete bootstrap token "${id}": ${error.message}`);
				throw error;
			},
		);
		process.stdout.write(`bootstrap token "${id}" deleted\n`);
	}
	return 0;
}

export type UploadCertsOptions = {
	uploadCerts: boolean;
	kubeconfig?: string;
	configPath?: string;
	certificateKey?: string;
};

/**
`kubeadm init phase upload-certs --upload-certs`: uploads the shared keys again under a key (the flag's, the
config's certificateKey, or a new one) and prints it; the Secret lives 2 h from now.
*/
export async function uploadCertsPhase(options: UploadCertsOptions): Promise<number> {
	if (!options.uploadCerts) {
		process.stdout.write('[upload-certs] Skipping phase. Please see --upload-certs\n');
		return 0;
	}
	const target = kubeconfigTarget(options.kubeconfig);
	let key = options.certificateKey;
	let cluster: ClusterConfiguration;
	if (options.configPath === undefined) {
		({cluster} = await readClusterConfiguration(target, {advertiseAddress: hostAddress(), bindPort: 6443}));
	} else {
		const init = readInitConfiguration(options.configPath);
		cluster = init.cluster;
		key ??= init.init.certificateKey;
	}
	key ??= newCertificateKey();
	await uploadCerts(target, cluster, key);
	process.stdout.write(`[upload-certs] Using certificate key:\n${key}\n`);
	return 0;
}
