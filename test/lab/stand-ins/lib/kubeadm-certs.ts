// Test fixture for the lab's kubeadm stand-in: the kubeadm-certs Secret (cmd/kubeadm/app/phases/copycerts), which
// carries the control planes' shared keys, each encrypted with the certificate key (AES-256-GCM), and lives as long
// as the short-lived bootstrap token that owns it (2 h).
import {createCipheriv, createDecipheriv, randomBytes} from 'node:crypto';
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {KubeApiError, kubeJson, type Target} from './kube-client.ts';
import {now} from './kube-clock.ts';
import type {KubeObject} from './kube-objects.ts';
import {certTokenTtl, generateToken, splitToken, tokenSecret, tokenSecretName} from './kube-tokens.ts';
import type {ClusterConfiguration} from './kubeadm-config.ts';
import {writeFileWithMode} from './kubeadm-files.ts';
import {KubeadmError} from './kubeadm-output.ts';

const secretPath = '/api/v1/namespaces/kube-system/secrets';
const secretName = 'kubeadm-certs';
const gcmNonceBytes = 12;
const gcmTagBytes = 16;

/** Secret entry → file, as certsToTransfer: the cluster, front-proxy and etcd CAs and the service-account keys. */
function certsToTransfer(cluster: ClusterConfiguration): Record<string, string> {
	const directory = cluster.certificatesDir;
	const inDirectory = (name: string) => join(directory, name);
	const external = cluster.etcd.external;
	return {
		'ca.crt': inDirectory('ca.crt'),
		'ca.key': inDirectory('ca.key'),
		'front-proxy-ca.crt': inDirectory('front-proxy-ca.crt'),
		'front-proxy-ca.key': inDirectory('front-proxy-ca.key'),
		'sa.pub': inDirectory('sa.pub'),
		'sa.key': inDirectory('sa.key'),
		...(external === undefined
			? {'etcd-ca.crt': inDirectory('etcd/ca.crt'), 'etcd-ca.key': inDirectory('etcd/ca.key')}
			: {
					'external-etcd-ca.crt': external.caFile ?? '',
					'external-etcd.crt': external.certFile ?? '',
					'external-etcd.key': external.keyFile ?? '',
				}),
	};
}

/** As kubeadm's cryptoutil.EncryptBytes: nonce, ciphertext and tag in one. */
function encrypt(data: Buffer, key: Buffer): Buffer {
	const nonce = randomBytes(gcmNonceBytes);
	const cipher = createCipheriv('aes-256-gcm', key, nonce);
	return Buffer.concat([nonce, cipher.update(data), cipher.final(), cipher.getAuthTag()]);
}

function decrypt(data: Buffer, key: Buffer): Buffer {
	const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, gcmNonceBytes));
	decipher.setAuthTag(data.subarray(data.length - gcmTagBytes));
	try {
		return Buffer.concat([decipher.update(data.subarray(gcmNonceBytes, data.length - gcmTagBytes)), decipher.final()]);
	} catch {
		// Go's crypto/cipher says it this way; kubeadm passes it on.
		throw new Error('cipher: message authentication failed');
	}
}

/** Creates, or replaces, an object through the API (kubeadm's apiclient.CreateOrUpdate…). */
export async function createOrUpdate(target: Target, collection: string, object: KubeObject): Promise<KubeObject> {
	try {
		return await kubeJson<KubeObject>(target, 'POST', collection, object);
	} catch (error) {
		if (!(error instanceof KubeApiError && error.status === 409)) throw error;
		return kubeJson<KubeObject>(target, 'PUT', `${collection}/${object.metadata.name}`, object);
	}
}

/** `kubeadm init phase upload-certs` and init's upload-certs phase. */
export async function uploadCerts(target: Target, cluster: ClusterConfiguration, key: string): Promise<void> {
	process.stdout.write(
		`[upload-certs] Storing the certificates in Secret "${secretName}" in the "kube-system" Namespace\n`,
	);
	// The Secret's owner: a token with no usages whose 2 h life the Secret shares (createShortLivedBootstrapToken).
	const token = generateToken();
	const {id} = splitToken(token);
	const description = 'Proxy for managing TTL for the kubeadm-certs secret';
	const owner = tokenSecret({token, description, ttl: certTokenTtl}, now());
	const stored = await kubeJson<KubeObject>(target, 'POST', secretPath, owner);
	const data: Record<string, string> = {};
	for (const [name, path] of Object.entries(certsToTransfer(cluster))) {
		data[name] = existsSync(path) ? encrypt(readFileSync(path), Buffer.from(key, 'hex')).toString('base64') : '';
	}
	await createOrUpdate(target, secretPath, {
		apiVersion: 'v1',
		kind: 'Secret',
		type: 'Opaque',
		metadata: {
			name: secretName,
			namespace: 'kube-system',
			ownerReferences: [
				{apiVersion: 'v1', kind: 'Secret', name: tokenSecretName(id), uid: stored.metadata.uid ?? '', controller: true},
			],
		},
		data,
	});
}

const downloadPhase = 'control-plane-prepare/download-certs';

/** A joining control plane's download-certs phase: fetch, decrypt with the certificate key, write the files. */
export async function downloadCerts(target: Target, cluster: ClusterConfiguration, key: string): Promise<void> {
	process.stdout.write(
		`[download-certs] Downloading the certificates in Secret "${secretName}" in the "kube-system" Namespace\n`,
	);
	let secret: KubeObject;
	try {
		secret = await kubeJson<KubeObject>(target, 'GET', `${secretPath}/${secretName}`);
	} catch (error) {
		if (!(error instanceof KubeApiError && error.status === 404)) throw error;
		throw new KubeadmError(
			`error downloading certs: error downloading the secret: Secret "${secretName}" was not found in the "kube-system" Namespace. This Secret might have expired. Please, run \`kubeadm init phase upload-certs --upload-certs\` on a control plane to generate a new one`,
			downloadPhase,
		);
	}
	const data = (secret['data'] ?? {}) as Record<string, string>;
	const files = new Map<string, Buffer>();
	try {
		for (const [name, encrypted] of Object.entries(data)) {
			if (encrypted !== '') files.set(name, decrypt(Buffer.from(encrypted, 'base64'), Buffer.from(key, 'hex')));
		}
	} catch (error) {
		throw new KubeadmError(
			`error downloading certs: error decoding secret data with provided key: ${(error as Error).message}`,
			downloadPhase,
		);
	}
	for (const [name, path] of Object.entries(certsToTransfer(cluster))) {
		if (!(name in data)) {
			throw new KubeadmError(
				`error downloading certs: the Secret does not include the required certificate or key - name: ${name}, path: ${path}`,
				downloadPhase,
			);
		}
		const content = files.get(name);
		if (content !== undefined)
			writeFileWithMode(path, content.toString(), /PRIVATE KEY/.test(content.toString()) ? 0o600 : 0o644);
	}
}
