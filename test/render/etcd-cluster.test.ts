import assert from 'node:assert/strict';
import {type ChildProcess, execFile, spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {after, describe, test} from 'node:test';
import {setTimeout as delay} from 'node:timers/promises';
import {promisify} from 'node:util';
import {
	etcdCaCertPath,
	etcdEnvironmentPath,
	etcdFiles,
	etcdMemberPaths,
	etcdUnitPath,
} from '../../source/render/etcd.ts';
import {generateSecrets} from '../../source/secrets/generate.ts';
import {etcdMembers} from '../../source/spec/cluster.ts';
import {completeSpec} from '../../source/spec/defaults.ts';
import {clusterSchema} from '../../source/spec/schema.ts';
import {contextFor, parseEnvironmentFile} from './fixtures.ts';

/**
The rendered external-etcd files, run for real: three etcd members on 127.0.0.11-13 (all of 127/8 is local),
each started exactly as its etcd.service would (ExecStart with the EnvironmentFile's variables), then
`etcdctl endpoint health` with the healthcheck-client certificate against all three.
*/
const etcd = '/usr/bin/etcd';
const etcdctl = '/usr/bin/etcdctl';
const missing = [etcd, etcdctl].filter((path) => !existsSync(path));
const skip = missing.length > 0 ? `${missing.join(' and ')} missing: apt-get install etcd-server etcd-client` : false;

const run = promisify(execFile);

// Built without validateSpec on purpose: only the etcd files matter here, and loopback addresses are what a
// real spec's rules may well refuse.
const spec = completeSpec(
	clusterSchema.parse({
		apiVersion: 'kubeha/v1alpha1',
		kind: 'Cluster',
		name: 'loopback',
		etcd: {topology: 'external'},
		loadBalancer: {mode: 'external', endpoint: '127.0.0.1:6443'},
		nodes: [
			{name: 'cp1', address: '127.0.0.21', roles: ['control-plane']},
			...[11, 12, 13].map((last, index) => ({name: `etcd${index + 1}`, address: `127.0.0.${last}`, roles: ['etcd']})),
		],
	}),
);

describe('a three-member etcd cluster from the rendered files', {skip}, () => {
	const members: ChildProcess[] = [];
	const logs = new Map<string, string>();
	let root = '';

	after(async () => {
		await Promise.all(members.map(async (member) => stop(member)));
		if (root) {
			await rm(root, {recursive: true, force: true});
		}
	});

	test('starts and answers etcdctl endpoint health on every member', {timeout: 90_000}, async () => {
		root = await mkdtemp(join(tmpdir(), 'kubeha-etcd-'));
		const context = await contextFor(spec, await generateSecrets(spec));
		const hostRoot = (name: string): string => join(root, name);
		// Absolute paths on the host become paths under that host's directory.
		const relocate = (name: string, path: string): string => (path.startsWith('/') ? join(hostRoot(name), path) : path);

		for (const node of etcdMembers(spec)) {
			const files = etcdFiles(context, node);
			for (const file of files) {
				const path = relocate(node.name, file.path);
				await mkdir(dirname(path), {recursive: true});
				await writeFile(path, file.content, {mode: file.mode});
			}

			const unit = files.find((file) => file.path === etcdUnitPath)?.content ?? '';
			const execStart = /^ExecStart=(.*)$/m.exec(unit)?.[1]?.split(' ') ?? [];
			assert.deepEqual(execStart, [etcd], 'the unit must run etcd with no flags');
			const environmentFile = files.find((file) => file.path === etcdEnvironmentPath)?.content ?? '';
			const environment = Object.fromEntries(
				Object.entries(parseEnvironmentFile(environmentFile)).map(([key, value]) => [key, relocate(node.name, value)]),
			);
			// Nothing of this process's own environment may reach etcd as ETCD_*: systemd would not pass it either.
			const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('ETCD')));
			const member = spawn(etcd, [], {env: {...inherited, ...environment}, stdio: ['ignore', 'ignore', 'pipe']});
			logs.set(node.name, '');
			member.stderr?.on('data', (chunk: Buffer) => {
				logs.set(node.name, `${logs.get(node.name) ?? ''}${chunk.toString()}`.slice(-4000));
			});
			members.push(member);
		}

		const memberLogs = (): string => [...logs].map(([name, log]) => `${name}: ${log}`).join('\n');
		const client = hostRoot('etcd1');
		const endpoints = etcdMembers(spec).map((node) => `https://${node.address}:2379`);
		const health = [
			`--endpoints=${endpoints.join(',')}`,
			`--cacert=${join(client, etcdCaCertPath)}`,
			`--cert=${join(client, etcdMemberPaths.healthcheckClient.cert)}`,
			`--key=${join(client, etcdMemberPaths.healthcheckClient.key)}`,
			'--command-timeout=3s',
			'endpoint',
			'health',
		];
		let last = '';
		for (let attempt = 0; attempt < 40; attempt++) {
			const exited = members.find((member) => member.exitCode !== null);
			assert.equal(exited, undefined, `an etcd member exited:\n${memberLogs()}`);
			try {
				const {stdout, stderr} = await run(etcdctl, health, {env: {...process.env, ETCDCTL_API: '3'}, timeout: 10_000});
				last = stdout + stderr;
				if (endpoints.every((endpoint) => last.includes(`${endpoint} is healthy`))) {
					return;
				}
			} catch (error) {
				last = String((error as {stderr?: string}).stderr ?? error);
			}

			await delay(500);
		}

		assert.fail(`etcd never became healthy on all members; etcdctl said:\n${last}\n${memberLogs()}`);
	});
});

/** SIGTERM, then SIGKILL if it has not exited within 5 s. */
async function stop(member: ChildProcess): Promise<void> {
	if (member.exitCode !== null || member.signalCode !== null) {
		return;
	}

	const exited = new Promise((resolve) => {
		member.once('exit', resolve);
	});
	member.kill('SIGTERM');
	const timedOut = await Promise.race([exited.then(() => false), delay(5000).then(() => true)]);
	if (timedOut) {
		member.kill('SIGKILL');
		await exited;
	}
}
