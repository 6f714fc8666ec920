// Test fixture for the lab's kubeadm and kube-apiserver stand-ins: bootstrap tokens as Kubernetes keeps them
// (Secrets kube-system/bootstrap-token-<id>, k8s.io/cluster-bootstrap) and the JWS signatures of cluster-info.
import {createHmac, randomInt, timingSafeEqual} from 'node:crypto';
import {rfc3339} from './kube-clock.ts';
import type {KubeObject} from './kube-objects.ts';

export const tokenPattern = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
export const defaultTokenGroup = 'system:bootstrappers:kubeadm:default-node-token';
const tokenSecretType = 'bootstrap.kubernetes.io/token';
/** kubeadm's DefaultTokenDuration. */
export const defaultTokenTtl = '24h';
/** kubeadm's DefaultCertTokenDuration: the life of the kubeadm-certs Secret. */
export const certTokenTtl = '2h';

export type BootstrapToken = {
	token: string;
	description?: string;
	/** A Go duration; "0" means it never expires. */
	ttl?: string;
	expires?: string;
	usages?: readonly string[];
	groups?: readonly string[];
};

const durationUnits: Record<string, number> = {
	ns: 1e-6,
	us: 1e-3,
	µs: 1e-3,
	μs: 1e-3,
	ms: 1,
	s: 1000,
	m: 60_000,
	h: 3_600_000,
};

/** A Go duration (time.ParseDuration: "24h", "1h30m", "0") in milliseconds. */
export function parseDuration(text: string): number {
	if (text === '0') return 0;
	const parts = [...text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)];
	if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text) {
		throw new Error(`"${text}" is not a duration like 24h or 1h30m`);
	}
	return parts.reduce((total, [, value = '0', unit = 's']) => total + Number(value) * (durationUnits[unit] ?? 0), 0);
}

const tokenAlphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
const randomText = (length: number): string =>
	Array.from({length}, () => tokenAlphabet[randomInt(tokenAlphabet.length)]).join('');

/** A new token as `kubeadm token generate` makes one. */
export const generateToken = (): string => `${randomText(6)}.${randomText(16)}`;

export function splitToken(token: string): {id: string; secret: string} {
	const match = tokenPattern.exec(token);
	if (!match) throw new Error(`the token "${token}" is not of the form [a-z0-9]{6}.[a-z0-9]{16}`);
	return {id: match[1] ?? '', secret: match[2] ?? ''};
}

export const tokenSecretName = (id: string): string => `bootstrap-token-${id}`;

const base64 = (text: string): string => Buffer.from(text).toString('base64');

/** The Secret kubeadm creates for a token (bootstraptoken/v1 BootstrapTokenToSecret). */
export function tokenSecret(token: BootstrapToken, issuedAt: Date): KubeObject {
	const {id, secret} = splitToken(token.token);
	const ttl = parseDuration(token.ttl ?? defaultTokenTtl);
	const expiration = token.expires ?? (ttl === 0 ? undefined : rfc3339(new Date(issuedAt.getTime() + ttl)));
	const data: Record<string, string> = {'token-id': base64(id), 'token-secret': base64(secret)};
	if (token.description !== undefined) data['description'] = base64(token.description);
	if (expiration !== undefined) data['expiration'] = base64(expiration);
	for (const usage of token.usages ?? []) data[`usage-bootstrap-${usage}`] = base64('true');
	if ((token.groups ?? []).length > 0) data['auth-extra-groups'] = base64((token.groups ?? []).join(','));
	return {
		apiVersion: 'v1',
		kind: 'Secret',
		type: tokenSecretType,
		metadata: {name: tokenSecretName(id), namespace: 'kube-system'},
		data,
	};
}

/** What the apiserver needs to know about a token Secret. */
export type TokenRecord = {
	id: string;
	secret: string;
	expiration?: Date;
	usages: string[];
	groups: string[];
};

export function readTokenSecret(object: KubeObject): TokenRecord | undefined {
	if (object['type'] !== tokenSecretType) return undefined;
	const data = (object['data'] ?? {}) as Record<string, string>;
	const field = (name: string): string | undefined =>
		data[name] === undefined ? undefined : Buffer.from(data[name], 'base64').toString();
	const expiration = field('expiration');
	return {
		id: field('token-id') ?? '',
		secret: field('token-secret') ?? '',
		...(expiration === undefined ? {} : {expiration: new Date(expiration)}),
		usages: Object.keys(data)
			.filter((key) => key.startsWith('usage-bootstrap-') && field(key) === 'true')
			.map((key) => key.slice('usage-bootstrap-'.length)),
		groups: (field('auth-extra-groups') ?? '').split(',').filter(Boolean),
	};
}

export const tokenExpired = (token: TokenRecord, at: Date): boolean =>
	token.expiration !== undefined && token.expiration.getTime() <= at.getTime();

const base64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

/**
A detached JWS (HS256, key = the token secret, kid = the token id) over `content`, as the bootstrap signer writes
into cluster-info under jws-kubeconfig-<id>: "<header>..<signature>".
*/
export function detachedSignature(content: string, id: string, secret: string): string {
	const header = base64url(JSON.stringify({alg: 'HS256', kid: id}));
	const signature = createHmac('sha256', secret)
		.update(`${header}.${base64url(content)}`)
		.digest();
	return `${header}..${base64url(signature)}`;
}

export function detachedSignatureIsValid(jws: string, content: string, id: string, secret: string): boolean {
	const expected = Buffer.from(detachedSignature(content, id, secret));
	const actual = Buffer.from(jws);
	return expected.length === actual.length && timingSafeEqual(expected, actual);
}
