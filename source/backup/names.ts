import type {ClusterSpec} from '../spec/cluster.ts';

/** `2026-11-22T07:13:00.123Z` → `20261122T071300Z`: sorts by time, safe in file names. */
export const timeStamp = (time: Date): string =>
	time
		.toISOString()
		.replaceAll(/[-:]/g, '')
		.replace(/\.\d+Z$/, 'Z');

/** The name of a snapshot `kubeha backup` copies to the operator's machine. */
export const snapshotFileName = (spec: ClusterSpec, time: Date): string => `etcd-${spec.name}-${timeStamp(time)}.db`;

/** The checksum file beside a snapshot, in `sha256sum` format, so that `sha256sum -c FILE.sha256` checks it. */
export const checksumFileName = (snapshotFileName: string): string => `${snapshotFileName}.sha256`;
export const checksumLine = (sha256: string, fileName: string): string => `${sha256}  ${fileName}\n`;

/** The SHA-256 a checksum file gives for a file name, or undefined when it has no line for it. */
export function checksumFor(text: string, fileName: string): string | undefined {
	for (const line of text.split('\n')) {
		const match = /^([\da-f]{64}) [ *](.+)$/.exec(line.trim());
		if (match?.[2] === fileName) {
			return match[1];
		}
	}

	return undefined;
}
