// Test fixture for the lab's kubeadm and kube-apiserver stand-ins: each host's clock, which tests can move forward.
import {existsSync, readFileSync} from 'node:fs';

/**
Seconds this host's clock is ahead of the machine's, one number in the file (absent = 0). Tests write it on every
host to make time pass, e.g. 7300 to see the kubeadm-certs Secret (2 h) expire while the join token (24 h) still holds.
*/
export const clockOffsetFile = '/run/lab-kube/clock-offset-seconds';

/** The host's "now": the machine's clock plus the offset, read on every call so that a change applies at once. */
export function now(): Date {
	const text = existsSync(clockOffsetFile) ? readFileSync(clockOffsetFile, 'utf8').trim() : '0';
	const seconds = Number(text);
	if (!Number.isFinite(seconds)) {
		throw new Error(`${clockOffsetFile} holds "${text}"; write a number of seconds, e.g. 7300`);
	}
	return new Date(Date.now() + seconds * 1000);
}

/** RFC 3339 without fractions, as Kubernetes writes times. */
export const rfc3339 = (date: Date): string => `${date.toISOString().slice(0, 19)}Z`;
