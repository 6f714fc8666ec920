import {createHash} from 'node:crypto';

/** JSON with object keys sorted at every level, so equal values give equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(value, (_key, nested: unknown) =>
		nested !== null && typeof nested === 'object' && !Array.isArray(nested)
			? Object.fromEntries(Object.entries(nested).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
			: nested,
	);
}

/**
sha256 (hex) of a value's canonical JSON: what the journal compares to tell whether a step's inputs changed.
An object's hash is remembered by identity (the spec and the rendered files are never changed in place), since
every step on every host asks for the same spec's.
*/
export function specHash(value: unknown): string {
	if (value === null || typeof value !== 'object') {
		return hashOf(value);
	}

	let hash = known.get(value);
	if (hash === undefined) {
		hash = hashOf(value);
		known.set(value, hash);
	}

	return hash;
}

const known = new WeakMap<object, string>();

const hashOf = (value: unknown): string =>
	createHash('sha256')
		.update(canonicalJson(value) ?? '')
		.digest('hex');
