// @peculiar/x509 registers its classes with tsyringe, which refuses to load without the Reflect metadata API:
// this import must come first, and ES modules evaluate their imports in order.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

export type X509 = typeof x509;

/** @peculiar/x509, loaded after the metadata API it needs. */
export async function loadX509(): Promise<X509> {
	return x509;
}
