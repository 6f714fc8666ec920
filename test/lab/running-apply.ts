// Test fixture: `kubeha apply --yes --output json` on a lab cluster as a running process whose events the test sees as
// they come, so that a scenario can act at a given moment of the install (a fault on a host when a step reaches it).
import {spawn} from 'node:child_process';
import {join} from 'node:path';
import {repositoryRoot} from '../helpers/cli.ts';
import {type KubehaResult, kubehaTimeoutMs, type LabCluster, type RunEventLine} from './cluster.ts';
import type {Lab} from './lab.ts';

export type RunningApply = {
	/** The first event (seen so far or to come) that matches; rejects when the run ends without one. */
	readonly waitFor: (matches: (event: RunEventLine) => boolean) => Promise<RunEventLine>;
	/** The run's end: its exit code, output, and every event. */
	readonly done: Promise<KubehaResult & {readonly events: readonly RunEventLine[]}>;
};

/** Starts `kubeha apply --yes --output json …` as labCluster's kubeha runs it (the built binary, the lab's known_hosts). */
export function startApply(lab: Lab, cluster: LabCluster, extra: readonly string[] = []): RunningApply {
	const argv = [
		join(repositoryRoot, 'bin/kubeha.js'),
		...['apply', '--yes', '--output', 'json', ...extra],
		...['-c', cluster.clusterFile, '--ssh-option', `UserKnownHostsFile=${lab.knownHostsFile}`],
	];
	const child = spawn(process.execPath, argv, {
		env: {...process.env, NO_COLOR: '1'},
		stdio: ['ignore', 'pipe', 'pipe'],
		timeout: kubehaTimeoutMs,
	});
	const events: RunEventLine[] = [];
	const waiters = new Set<{matches: (event: RunEventLine) => boolean; resolve: (event: RunEventLine) => void}>();
	let stdout = '';
	let stderr = '';
	let partial = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
		const lines = (partial + chunk).split('\n');
		partial = lines.pop() ?? '';
		for (const line of lines.filter((candidate) => candidate.startsWith('{'))) {
			const event = JSON.parse(line) as RunEventLine;
			events.push(event);
			for (const waiter of waiters) {
				if (waiter.matches(event)) {
					waiters.delete(waiter);
					waiter.resolve(event);
				}
			}
		}
	});
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	const done = new Promise<KubehaResult & {events: RunEventLine[]}>((resolve, reject) => {
		child.once('error', reject);
		child.once('close', (code, signal) =>
			resolve({code: code ?? 128, stdout, stderr: signal ? `${stderr}(${signal})` : stderr, events}),
		);
	});
	return {
		waitFor(matches) {
			const seen = events.find(matches);
			if (seen) return Promise.resolve(seen);
			return new Promise((resolve, reject) => {
				waiters.add({matches, resolve});
				done.then(
					(result) =>
						reject(
							new Error(
								`kubeha apply ended (exit ${result.code}) before the awaited event:\n${result.stderr}\n${result.stdout.slice(-4000)}`,
							),
						),
					reject,
				);
			});
		},
		done,
	};
}
