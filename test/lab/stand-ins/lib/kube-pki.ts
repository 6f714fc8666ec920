// Test fixture for the lab's kubeadm and kube-apiserver stand-ins: certificates and keys as kubeadm makes them
// (RSA-2048, its default encryptionAlgorithm). CAs come from kubeha's own code; leaves are made here because
// kubeadm's client certificates carry an Organization (the user's groups), which kubeha's profiles do not.
import {createPrivateKey, generateKeyPair, randomBytes, webcrypto} from 'node:crypto';
import {promisify} from 'node:util';
import type {PublicKey} from '@peculiar/x509';
import {createCa, type Issuer, issuerOf} from '../../../../source/secrets/certificates.ts';
import type {KeyPair} from '../../../../source/secrets/types.ts';
import {loadX509} from '../../../../source/secrets/x509.ts';
import {now as hostNow} from './kube-clock.ts';

export {caCertHash} from '../../../../source/secrets/ca-hash.ts';
export type {Issuer, KeyPair};
export {createCa, issuerOf};

const algorithm = {
	name: 'RSASSA-PKCS1-v1_5',
	hash: 'SHA-256',
	publicExponent: new Uint8Array([1, 0, 1]),
	modulusLength: 2048,
};
const year = 365 * 24 * 60 * 60 * 1000;
/** As kubeha's CA: a certificate made now must not be "not yet valid" on a host whose clock is a little behind. */
const backdate = 5 * 60 * 1000;

export type LeafProfile = {
	commonName: string;
	/** The user's groups, for client certificates. */
	organizations?: readonly string[];
	usages: ReadonlyArray<'serverAuth' | 'clientAuth'>;
	dnsNames?: readonly string[];
	ipAddresses?: readonly string[];
};

/** 128 random bits, positive and minimal in DER (Go refuses other serial numbers). */
function serialNumber(): string {
	const bytes = randomBytes(16);
	bytes[0] = (bytes[0] ?? 0) & 0x7f || 1;
	return bytes.toString('hex');
}

async function pkcs1Pem(key: CryptoKey): Promise<string> {
	const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
	return createPrivateKey({key: der, format: 'der', type: 'pkcs8'}).export({type: 'pkcs1', format: 'pem'}).toString();
}

/** A certificate for `publicKey` (a new key pair's, or a CSR's) signed by the issuer, as kubeadm's certs phase signs. */
export async function signLeaf(
	issuer: Issuer,
	profile: LeafProfile,
	publicKey: CryptoKey | PublicKey,
): Promise<string> {
	const x509 = await loadX509();
	const names = [
		...(profile.dnsNames ?? []).map((value) => ({type: 'dns' as const, value})),
		...(profile.ipAddresses ?? []).map((value) => ({type: 'ip' as const, value})),
	];
	const issuerKeyId = issuer.cert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
	// The year counts from the host's clock (kube-clock.ts), so that a test that moved it sees the new expiry; the
	// start stays on the machine's clock too, which Node's TLS checks it against.
	const issued = hostNow().getTime();
	const cert = await x509.X509CertificateGenerator.create({
		serialNumber: serialNumber(),
		subject: [...(profile.organizations ?? []).map((name) => ({O: [name]})), {CN: [profile.commonName]}],
		issuer: issuer.cert.subjectName,
		publicKey,
		signingKey: issuer.key,
		signingAlgorithm: algorithm,
		notBefore: new Date(Math.min(issued, Date.now()) - backdate),
		notAfter: new Date(issued + year),
		extensions: [
			new x509.BasicConstraintsExtension(false, undefined, true),
			new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
			new x509.ExtendedKeyUsageExtension(profile.usages.map((usage) => x509.ExtendedKeyUsage[usage])),
			...(issuerKeyId === undefined ? [] : [new x509.AuthorityKeyIdentifierExtension(issuerKeyId)]),
			...(names.length === 0 ? [] : [new x509.SubjectAlternativeNameExtension(names)]),
		],
	});
	return `${cert.toString('pem').trimEnd()}\n`;
}

/** A new key pair and its certificate. */
export async function issueLeaf(issuer: Issuer, profile: LeafProfile): Promise<KeyPair> {
	const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
	return {cert: await signLeaf(issuer, profile, keys.publicKey), key: await pkcs1Pem(keys.privateKey)};
}

/** A PKCS#10 request, as the kubelet's TLS bootstrap sends one, and its key. */
export async function createCsr(profile: Pick<LeafProfile, 'commonName' | 'organizations'>) {
	const x509 = await loadX509();
	const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
	const request = await x509.Pkcs10CertificateRequestGenerator.create({
		name: [...(profile.organizations ?? []).map((name) => ({O: [name]})), {CN: [profile.commonName]}],
		keys,
		signingAlgorithm: algorithm,
	});
	return {csr: request.toString('pem'), key: await pkcs1Pem(keys.privateKey)};
}

/** The subject of a CSR whose signature holds, and its public key; undefined when it is not a valid request. */
export async function readCsr(pem: string) {
	const x509 = await loadX509();
	try {
		const request = new x509.Pkcs10CertificateRequest(pem);
		if (!(await request.verify())) return undefined;
		const subject = request.subjectName;
		return {
			commonName: subject.getField('CN')[0] ?? '',
			organizations: subject.getField('O'),
			publicKey: request.publicKey,
		};
	} catch {
		return undefined;
	}
}

/** sa.key (PKCS#1) and sa.pub (PKIX), the service-account signing pair. */
export async function serviceAccountKeys(): Promise<{key: string; pub: string}> {
	const {privateKey, publicKey} = await promisify(generateKeyPair)('rsa', {modulusLength: 2048});
	return {
		key: privateKey.export({type: 'pkcs1', format: 'pem'}).toString(),
		pub: publicKey.export({type: 'spki', format: 'pem'}).toString(),
	};
}
