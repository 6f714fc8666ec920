// Test fixture for the lab's kube-apiserver stand-in: the cluster's objects, replicated to every control plane.
// Stands in for etcd. Each entry carries a Lamport stamp; replicas exchange whole stores and keep, per object, the
// entry with the higher stamp (a last-writer-wins map), so merging is order-free and a replica that missed writes
// catches up from any other. Deletions stay as tombstones so that a stale replica cannot bring an object back.
import {randomUUID} from 'node:crypto';
import {rfc3339} from './kube-clock.ts';
import type {KubeObject} from './kube-objects.ts';

export type Stamp = {counter: number; origin: string};
/** object null: deleted. */
export type Entry = {stamp: Stamp; object: KubeObject | null};
export type Store = {entries: Record<string, Entry>};

export const emptyStore = (): Store => ({entries: {}});

/** Cluster-scoped objects (nodes) have an empty namespace. */
export const objectKey = (resource: string, namespace: string, name: string): string =>
	`${resource}/${namespace}/${name}`;

const isNewer = (a: Stamp, b: Stamp): boolean =>
	a.counter > b.counter || (a.counter === b.counter && a.origin > b.origin);

/** The store's Lamport clock: the highest stamp in it, which lists report as their resourceVersion. */
export const revision = (store: Store): number =>
	Object.values(store.entries).reduce((highest, entry) => Math.max(highest, entry.stamp.counter), 0);

export function read(store: Store, key: string): KubeObject | undefined {
	return store.entries[key]?.object ?? undefined;
}

export function list(store: Store, resource: string, namespace?: string): KubeObject[] {
	const prefix = namespace === undefined ? `${resource}/` : objectKey(resource, namespace, '');
	return Object.entries(store.entries)
		.filter(([key, entry]) => key.startsWith(prefix) && entry.object !== null)
		.sort(([a], [b]) => (a < b ? -1 : 1))
		.map(([, entry]) => entry.object as KubeObject);
}

/**
Creates or replaces an object (keeping its uid and creation time when it exists) and returns it as stored, with
the resourceVersion the write gave it.
*/
export function write(store: Store, key: string, object: KubeObject, origin: string, at: Date): KubeObject {
	const counter = revision(store) + 1;
	const existing = read(store, key);
	const stored: KubeObject = {
		...object,
		metadata: {
			...object.metadata,
			uid: existing?.metadata.uid ?? randomUUID(),
			creationTimestamp: existing?.metadata.creationTimestamp ?? rfc3339(at),
			resourceVersion: String(counter),
		},
	};
	store.entries[key] = {stamp: {counter, origin}, object: stored};
	return stored;
}

export function remove(store: Store, key: string, origin: string): void {
	store.entries[key] = {stamp: {counter: revision(store) + 1, origin}, object: null};
}

/** Takes every entry of `other` that is newer than this store's; true when anything changed. */
export function merge(store: Store, other: Store): boolean {
	let changed = false;
	for (const [key, entry] of Object.entries(other.entries)) {
		const mine = store.entries[key];
		if (mine === undefined || isNewer(entry.stamp, mine.stamp)) {
			store.entries[key] = entry;
			changed = true;
		}
	}
	return changed;
}
