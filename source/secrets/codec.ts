import {createPrivateKey, type KeyObject, X509Certificate} from 'node:crypto';
import {Document, parseDocument} from 'yaml';
import {z} from 'zod';
import {formatPath, type PathSegment} from '../spec/finding.ts';
import {apiVersion} from '../spec/schema.ts';
import {bootstrapTokenPattern, certificateKeyPattern, vrrpAuthPassPattern} from './formats.ts';
import {isSecretPlaceholder} from './mask.ts';
import type {KeyPair, Secrets} from './types.ts';

const secretsKind = 'Secrets';

const header = [
	'kubeha secrets: passwords, tokens and private keys of one cluster.',
	'Keep this file private (mode 0600), out of version control, and backed up: a running cluster accepts no others.',
]
	.map((line) => ` ${line}`)
	.join('\n');

const restore = 'restore this file from a backup (kubeha keeps the previous one as <file>.previous)';

const keyPairSchema = z.strictObject({cert: z.string(), key: z.string()});

const secretsFileSchema = z.strictObject({
	apiVersion: z.literal(apiVersion),
	kind: z.literal(secretsKind),
	vrrpAuthPass: z.string().regex(vrrpAuthPassPattern),
	bootstrapToken: z.string().regex(bootstrapTokenPattern),
	certificateKey: z.string().regex(certificateKeyPattern),
	clusterCa: keyPairSchema,
	etcd: z
		.strictObject({
			ca: keyPairSchema,
			members: z.record(z.string(), z.strictObject({server: keyPairSchema, peer: keyPairSchema})),
			apiserverClient: keyPairSchema,
			healthcheckClient: keyPairSchema,
		})
		.optional(),
});

/** YAML for the secrets file. Pure and canonical: the same secrets give the same text. */
export function serializeSecrets(secrets: Secrets): string {
	const document = new Document({apiVersion, kind: secretsKind, ...secrets});
	document.commentBefore = header;
	return document.toString({lineWidth: 0});
}

export type ParsedSecrets = {
	readonly secrets?: Secrets;
	/** Each names the field, what is wrong with it and what to do; never the secret value itself. */
	readonly problems: string[];
};

/**
Reads a secrets file: the YAML, the shape (strict: an unknown field is a problem) and whether every
certificate fits its key and, for etcd, was signed by the etcd CA. Pure.
*/
export function parseSecrets(text: string): ParsedSecrets {
	const document = parseDocument(text, {uniqueKeys: true});
	if (document.errors.length > 0) {
		return {
			problems: document.errors.map(
				(problem) =>
					`the file is not valid YAML: ${problem.message.split('\n')[0]?.replace(/:$/, '')}; correct it or ${restore}`,
			),
		};
	}

	const data: unknown = document.toJS();
	if (data === null || data === undefined) {
		return {problems: [`the file is empty; ${restore}`]};
	}

	const masked = placeholderPaths(data);
	if (masked.length > 0) {
		return {
			problems: [
				`this is a masked copy (from \`kubeha render\` or an export without secrets): ${masked.join(', ')} hold <secret:…> placeholders, not secrets; use the secrets file kept beside the cluster spec`,
			],
		};
	}

	const parsed = secretsFileSchema.safeParse(data, {reportInput: true});
	if (!parsed.success) {
		return {problems: parsed.error.issues.map((issue) => describeIssue(issue))};
	}

	const {apiVersion: _version, kind: _kind, ...secrets} = parsed.data;
	const problems = checkCertificates(secrets);
	return problems.length > 0 ? {problems} : {secrets, problems};
}

/** What a malformed value must look like, per field; values are never echoed, they are secret. */
const formatFixes: Readonly<Record<string, string>> = {
	apiVersion: `write \`apiVersion: ${apiVersion}\``,
	kind: `write \`kind: ${secretsKind}\``,
	vrrpAuthPass:
		'write exactly 8 letters or digits (keepalived reads only 8); then re-apply keepalived.conf on every load-balancer node',
	bootstrapToken:
		'write a token like abcdef.0123456789abcdef (6 and 16 lowercase letters or digits), e.g. from `kubeadm token generate`',
	certificateKey: 'write 64 lowercase hex digits (a 32-byte key), e.g. from `kubeadm certs certificate-key`',
};

function describeIssue(issue: z.core.$ZodIssue): string {
	const segments = issue.path.filter((segment): segment is PathSegment => typeof segment !== 'symbol');
	const path = formatPath(segments) || 'the file';
	const fix = formatFixes[path] ?? restore;
	switch (issue.code) {
		case 'unrecognized_keys': {
			return issue.keys
				.map((key) => `${formatPath([...segments, key])} is not a field of the secrets file; remove it`)
				.join('; ');
		}

		case 'invalid_type': {
			return issue.input === undefined
				? `${path} is missing; ${fix}`
				: `${path} must be ${issue.expected === 'object' ? 'a mapping' : `a ${issue.expected}`}; ${fix}`;
		}

		case 'invalid_value': {
			return `${path} must be ${issue.values.map((value) => JSON.stringify(value)).join(' or ')}; ${fix}`;
		}

		case 'invalid_format': {
			return `${path} has the wrong format; ${fix}`;
		}

		default: {
			return `${path}: ${issue.message}; ${fix}`;
		}
	}
}

/** Where `maskSecrets` left placeholders, so a masked copy is named as such rather than as a broken file. */
function placeholderPaths(value: unknown, path: readonly PathSegment[] = []): string[] {
	if (typeof value === 'string') {
		return isSecretPlaceholder(value) ? [formatPath(path)] : [];
	}

	if (value === null || typeof value !== 'object') {
		return [];
	}

	return Object.entries(value).flatMap(([key, inner]) => placeholderPaths(inner, [...path, key]));
}

type Loaded = {readonly cert: X509Certificate; readonly key: KeyObject};

function checkCertificates(secrets: Secrets): string[] {
	const problems: string[] = [];
	const load = (pair: KeyPair, path: string): Loaded | undefined => {
		let cert: X509Certificate;
		let key: KeyObject;
		try {
			cert = new X509Certificate(pair.cert);
		} catch {
			problems.push(`${path}.cert is not a PEM certificate (-----BEGIN CERTIFICATE-----); ${restore}`);
			return undefined;
		}

		try {
			key = createPrivateKey(pair.key);
		} catch {
			problems.push(`${path}.key is not a PEM private key (-----BEGIN RSA PRIVATE KEY-----); ${restore}`);
			return undefined;
		}

		if (!cert.checkPrivateKey(key)) {
			problems.push(`${path}.key does not belong to ${path}.cert; ${restore}`);
			return undefined;
		}

		return {cert, key};
	};

	const loadCa = (pair: KeyPair, path: string): Loaded | undefined => {
		const ca = load(pair, path);
		if (ca && !ca.cert.ca) {
			problems.push(`${path}.cert is not a CA certificate (it lacks CA:true); ${restore}`);
			return undefined;
		}

		return ca;
	};

	loadCa(secrets.clusterCa, 'clusterCa');
	if (secrets.etcd) {
		const ca = loadCa(secrets.etcd.ca, 'etcd.ca');
		const reissue = (name: string): string =>
			`${restore}, or delete etcd.members.${name} to have kubeha issue that member new certificates`;
		const leaves: Array<[string, KeyPair, string]> = [
			...Object.entries(secrets.etcd.members).flatMap(
				([name, member]): Array<[string, KeyPair, string]> => [
					[`etcd.members.${name}.server`, member.server, reissue(name)],
					[`etcd.members.${name}.peer`, member.peer, reissue(name)],
				],
			),
			['etcd.apiserverClient', secrets.etcd.apiserverClient, restore],
			['etcd.healthcheckClient', secrets.etcd.healthcheckClient, restore],
		];
		for (const [path, pair, fix] of leaves) {
			const leaf = load(pair, path);
			if (leaf && ca && !leaf.cert.verify(ca.cert.publicKey)) {
				problems.push(`${path}.cert was not signed by etcd.ca, so etcd would refuse it; ${fix}`);
			}
		}
	}

	return problems;
}
