import {createPrivateKey, randomBytes, webcrypto} from 'node:crypto';
import type {X509Certificate} from '@peculiar/x509';
import type {KeyPair} from './types.ts';
import {loadX509} from './x509.ts';

/** RSA-2048 with SHA-256: kubeadm's default `encryptionAlgorithm`, so the files look like the ones it makes. */
const algorithm = {
	name: 'RSASSA-PKCS1-v1_5',
	hash: 'SHA-256',
	publicExponent: new Uint8Array([1, 0, 1]),
	modulusLength: 2048,
};

const day = 24 * 60 * 60 * 1000;
/** kubeadm's caCertificateValidityPeriod, 87600h. */
const caValidity = 3650 * day;
/** kubeadm's certificateValidityPeriod, 8760h. */
const leafValidity = 365 * day;
/** Hosts' clocks differ from the operator's by a little: a certificate made "now" must not be "not yet valid" there. */
const backdate = 5 * 60 * 1000;

type ExtendedUsage = 'serverAuth' | 'clientAuth';

/** What a leaf certificate is for and whom it names. */
export type CertificateProfile = {
	readonly commonName: string;
	readonly usages: readonly ExtendedUsage[];
	readonly dnsNames?: readonly string[];
	readonly ipAddresses?: readonly string[];
};

/** A CA loaded for signing. */
export type Issuer = {
	readonly cert: X509Certificate;
	readonly key: CryptoKey;
};

/** A self-signed CA as kubeadm makes one: CA:true, keyCertSign/digitalSignature/keyEncipherment, 10 years. */
export async function createCa(commonName: string): Promise<KeyPair> {
	const x509 = await loadX509();
	const keys = await newKeys();
	const cert = await x509.X509CertificateGenerator.createSelfSigned({
		serialNumber: serialNumber(),
		name: [{CN: [commonName]}],
		keys,
		signingAlgorithm: algorithm,
		...validFor(caValidity),
		extensions: [
			new x509.BasicConstraintsExtension(true, undefined, true),
			new x509.KeyUsagesExtension(
				x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
				true,
			),
			await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
		],
	});
	return {cert: certificatePem(cert), key: await privateKeyPem(keys.privateKey)};
}

/** Loads a CA (made now or read from the secrets file) to sign with. */
export async function issuerOf(ca: KeyPair): Promise<Issuer> {
	const x509 = await loadX509();
	const der = createPrivateKey(ca.key).export({type: 'pkcs8', format: 'der'});
	const key = await webcrypto.subtle.importKey('pkcs8', der, algorithm, false, ['sign']);
	return {cert: new x509.X509Certificate(ca.cert), key};
}

/** A leaf certificate signed by the issuer, with the key usages kubeadm gives its own (digitalSignature, keyEncipherment). */
export async function issueCertificate(issuer: Issuer, profile: CertificateProfile): Promise<KeyPair> {
	const x509 = await loadX509();
	const keys = await newKeys();
	const names = [
		...(profile.dnsNames ?? []).map((value) => ({type: 'dns' as const, value})),
		...(profile.ipAddresses ?? []).map((value) => ({type: 'ip' as const, value})),
	];
	const issuerKeyId = issuer.cert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
	const cert = await x509.X509CertificateGenerator.create({
		serialNumber: serialNumber(),
		subject: [{CN: [profile.commonName]}],
		issuer: issuer.cert.subjectName,
		publicKey: keys.publicKey,
		signingKey: issuer.key,
		signingAlgorithm: algorithm,
		...validFor(leafValidity),
		extensions: [
			new x509.BasicConstraintsExtension(false, undefined, true),
			new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
			new x509.ExtendedKeyUsageExtension(profile.usages.map((usage) => x509.ExtendedKeyUsage[usage])),
			...(issuerKeyId === undefined ? [] : [new x509.AuthorityKeyIdentifierExtension(issuerKeyId)]),
			...(names.length === 0 ? [] : [new x509.SubjectAlternativeNameExtension(names)]),
		],
	});
	return {cert: certificatePem(cert), key: await privateKeyPem(keys.privateKey)};
}

async function newKeys(): Promise<CryptoKeyPair> {
	return webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
}

/** PKCS#1 ("RSA PRIVATE KEY"), the form kubeadm writes its keys in. */
async function privateKeyPem(key: CryptoKey): Promise<string> {
	const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
	return createPrivateKey({key: der, format: 'der', type: 'pkcs8'}).export({type: 'pkcs1', format: 'pem'}).toString();
}

const certificatePem = (cert: X509Certificate): string => `${cert.toString('pem').trimEnd()}\n`;

/**
128 random bits as a positive integer in minimal DER: the first byte below 0x80 (else it reads as negative) and
not 0 (else it is padding). Go, and so kubeadm and etcd, rejects certificates with other forms.
*/
function serialNumber(): string {
	const bytes = randomBytes(16);
	bytes[0] = (bytes[0] ?? 0) & 0x7f || 1;
	return bytes.toString('hex');
}

function validFor(duration: number): {notBefore: Date; notAfter: Date} {
	const now = Date.now();
	return {notBefore: new Date(now - backdate), notAfter: new Date(now + duration)};
}
