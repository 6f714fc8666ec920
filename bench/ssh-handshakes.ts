// Runs 30 commands in 5 steps through runSteps over real ssh to one host (an sshd on loopback, see
// test/helpers/sshd.ts) and prints how many SSH handshakes that took: the shell's multiplexed master should make it one.
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {runSteps} from '../source/runner/runner.ts';
import {openSshShell} from '../source/runner/ssh-shell.ts';
import {writeFileScript} from '../source/runner/write-file.ts';
import type {ClusterSpec} from '../source/spec/cluster.ts';
import type {Step} from '../steps/types.ts';
import {specOf} from '../test/helpers/spec.ts';
import {sshdUnavailable, sshOptionsFor, startSshd} from '../test/helpers/sshd.ts';
import {median} from './stats.ts';

/**
What an install asks of a host, minus anything that changes it: the host is this machine, so the only writes go
to sshd's scratch directory. Six commands per step, each its own ssh invocation as in a real run.
*/
const stepCommands = (scratch: string): Record<string, readonly string[]> => {
	const file = (name: string) => writeFileScript({path: join(scratch, name), content: `${name}\n`, mode: 0o644});
	return {
		'gather-facts': ['uname -srm', 'cat /etc/os-release', 'nproc', 'cat /proc/swaps', 'df -P /', 'date +%s'],
		preflight: ['id -u', 'command -v bash', 'hostname', 'test -d /proc/sys', 'ls /etc > /dev/null', 'ulimit -n'],
		'write-files': [file('a.conf'), file('b.conf'), file('c.conf'), file('d.conf'), file('e.conf'), file('f.conf')],
		'check-files': ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => `sha256sum '${join(scratch, `${name}.conf`)}'`),
		verify: ['uptime', 'cat /proc/loadavg', 'ls -l /', 'env > /dev/null', 'true', `ls '${scratch}'`],
	};
};

export async function benchSshHandshakes(): Promise<void> {
	const unavailable = sshdUnavailable();
	if (unavailable) {
		console.log(`SSH handshakes per host: skipped, ${unavailable}`);
		return;
	}

	const sshd = await startSshd();
	try {
		const shell = await openSshShell(sshOptionsFor(sshd));
		const commandMs: number[] = [];
		const steps = Object.entries(stepCommands(sshd.directory)).map(
			([id, commands]): Step => ({
				id,
				title: id,
				hosts: (spec: ClusterSpec) => spec.nodes,
				parallel: true,
				async run(ctx) {
					for (const command of commands) {
						const started = performance.now();
						await ctx.shell.run(command);
						commandMs.push(performance.now() - started);
					}
				},
				dryRun: () => commands,
			}),
		);
		const spec = specOf((draft) => {
			draft.nodes = [{name: 'local', address: sshd.address, roles: ['control-plane']}];
		}, 'external-load-balancer');
		const started = performance.now();
		try {
			const summary = await runSteps({steps, spec, files: [], shell, redact: (text) => text, onEvent: () => undefined});
			if (summary.status !== 'done') {
				throw new Error(`the ssh benchmark run ended ${summary.status}: ${JSON.stringify(summary.failures)}`);
			}
		} finally {
			await shell.close();
		}

		const wallMs = performance.now() - started;
		console.log(`ssh: ${commandMs.length} commands in ${steps.length} steps to one host (sshd on 127.0.0.1):`);
		console.log(`  wall time:                         ${wallMs.toFixed(0)} ms`);
		console.log(`  first command (opens the master):  ${(commandMs[0] ?? Number.NaN).toFixed(1)} ms`);
		console.log(`  per command after it (median):     ${median(commandMs.slice(1)).toFixed(1)} ms`);
		console.log(`SSH handshakes per host: ${await sshd.acceptedLogins()} (goal: 1)`);
	} finally {
		await sshd.stop();
	}
}
