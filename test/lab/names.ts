// Test fixture: the names and addresses of a lab. Everything the lab creates is named from its slot, so that leftovers
// of a crashed run can be found and deleted by name (test/lab/cleanup.ts).
import {join} from 'node:path';

/** Labs are numbered so that two test files can each run one at the same time; slot n uses 198.18.(n-1).0/24. */
export const slots = [1, 2, 3, 4, 5, 6, 7, 8] as const;
export const maxHosts = 20;

/** Each lab's files (keys, per-host overlays, logs) live under here, in a directory named after the slot. */
export const labRoot = '/tmp/kubeha-lab';

/** Inside a host, the one interface on the lab network (servers usually have one called like this). */
export const hostInterface = 'eth0';

export function slotDirectory(slot: number): string {
	return join(labRoot, String(slot));
}

export function hostName(index: number): string {
	return `lab-h${index}`;
}

/** Network namespace of a host: `kubeha-lab-<slot>-h<index>`. */
export function namespaceName(slot: number, index: number): string {
	return `${namespacePrefix(slot)}h${index}`;
}

export function namespacePrefix(slot: number): string {
	return `kubeha-lab-${slot}-`;
}

/** The bridge in the root namespace that every host of the lab is plugged into. */
export function bridgeName(slot: number): string {
	return `kubeha-lab-${slot}`;
}

/** Root-namespace end of a host's veth pair (interface names have at most 15 characters). */
export function vethName(slot: number, index: number): string {
	return `${vethPrefix(slot)}${index}`;
}

export function vethPrefix(slot: number): string {
	return `klab${slot}-h`;
}

/** An address in the lab's /24: `.1` is the bridge (the test runner), `.11`… are the hosts, the rest is free. */
export function labAddress(slot: number, lastOctet: number): string {
	return `198.18.${slot - 1}.${lastOctet}`;
}

export function hostAddress(slot: number, index: number): string {
	return labAddress(slot, 10 + index);
}

export const prefixLength = 24;
