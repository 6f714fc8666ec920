import assert from 'node:assert/strict';
import {copyFileSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {type StatusDependencies, type StatusOptions, statusCommand} from '../../source/commands/status.ts';
import {collect} from '../helpers/command-world.ts';
import {FakeShell} from '../helpers/fake-shell.ts';
import {type Recording, recordedOutput} from './fixtures.ts';

const directories: string[] = [];
after(() => {
	for (const directory of directories) {
		rmSync(directory, {recursive: true, force: true});
	}
});

/** The lab spec as cluster.yaml in a directory of its own (no kubeconfig in its .kubeha: the API is not asked). */
function workspace(): string {
	const directory = mkdtempSync(join(tmpdir(), 'kubeha-status-'));
	directories.push(directory);
	copyFileSync(new URL('fixtures/cluster.yaml', import.meta.url), join(directory, 'cluster.yaml'));
	return join(directory, 'cluster.yaml');
}

/** Every node answers with its recorded probe output; no terminal, no host key questions. */
function dependencies(recording: Recording, change: Partial<StatusDependencies> = {}): StatusDependencies {
	const shell = new FakeShell();
	for (const node of ['cp1', 'cp2', 'cp3']) {
		shell.on('kubeha_section', {stdout: recordedOutput(recording, node)}, node);
	}

	return {
		interactive: false,
		confirm: async () => false,
		openShell: async () => shell,
		confirmHostKeys: async () => false,
		onInterrupt: () => () => undefined,
		now: () => Date.parse('2026-11-22T07:35:50.088Z'),
		...change,
	};
}

const run = async (options: Omit<StatusOptions, 'config'>, deps: StatusDependencies) => {
	const output = collect();
	const code = await statusCommand({config: workspace(), ...options}, output, deps);
	return {code, ...output};
};

test('--json on a healthy cluster: exit 0, the verdict, where the VIP is, and every node', async () => {
	const {code, lines} = await run({json: true}, dependencies('healthy'));
	assert.equal(code, 0);
	const document = JSON.parse(lines.join('\n')) as {
		healthy: boolean;
		problems: unknown[];
		vip: unknown;
		hosts: {node: string; loadBalancer?: {haproxy: {backends: {status: string}[]}}}[];
	};
	assert.equal(document.healthy, true);
	assert.deepEqual(document.problems, []);
	assert.deepEqual(document.vip, {address: '198.18.1.100', heldBy: ['cp1']});
	assert.deepEqual(
		document.hosts.map((host) => [host.node, host.loadBalancer?.haproxy.backends.map((backend) => backend.status)]),
		[
			['cp1', ['UP', 'UP', 'UP']],
			['cp2', ['UP', 'UP', 'UP']],
			['cp3', ['UP', 'UP', 'UP']],
		],
	);
});

test('the table on a degraded cluster: exit 1, each problem named', async () => {
	const {code, lines} = await run({}, dependencies('keepalived-down'));
	assert.equal(code, 1);
	assert.match(lines.join('\n'), /^degraded: 3 problems\n✖ keepalived is not running on cp1$/m);
});

test('--watch without a terminal prints a document per check until Ctrl-C, then exits with the last verdict', async () => {
	let interrupt: () => void = () => undefined;
	const output = collect();
	const deps = dependencies('healthy', {
		onInterrupt(handler) {
			interrupt = handler;
			return () => undefined;
		},
	});
	const watching = statusCommand(
		{config: workspace(), json: true, watch: true},
		{
			...output,
			out(text) {
				output.lines.push(text);
				interrupt();
			},
		},
		deps,
	);
	assert.equal(await watching, 0);
	assert.equal(output.lines.length, 1);
	assert.equal(output.lines[0]?.includes('\n'), false, 'one JSON document per line');
});

test('on a terminal the live view shows it; the exit code is its last report’s verdict', async () => {
	const asked: {watch: boolean; intervalMs: number}[] = [];
	const {code, lines} = await run(
		{watch: true},
		dependencies('keepalived-down', {
			async liveView({probe, watch, intervalMs}) {
				asked.push({watch, intervalMs});
				return probe(new AbortController().signal);
			},
		}),
	);
	assert.deepEqual(asked, [{watch: true, intervalMs: 5000}]);
	assert.equal(code, 1);
	assert.deepEqual(lines, []);
});

test('an invalid spec stops before any connection, with its findings', async () => {
	const config = workspace();
	writeFileSync(config, 'apiVersion: kubeha/v1alpha1\nkind: Cluster\nname: lab\nnodes: []\n');
	const output = collect();
	await assert.rejects(
		statusCommand({config}, output, dependencies('healthy', {openShell: async () => assert.fail('connected')})),
		/fix the errors in .*cluster\.yaml/,
	);
	assert.match(output.errors.join('\n'), /is not valid/);
});
