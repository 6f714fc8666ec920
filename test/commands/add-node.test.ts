import assert from 'node:assert/strict';
import {copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {type AddNodeOptions, addNodeCommand} from '../../source/commands/add-node.ts';
import {installedFiles} from '../../source/plan/install-plan.ts';
import {renderCluster} from '../../source/render/index.ts';
import type {SessionDependencies} from '../../source/session/dependencies.ts';
import type {ClusterSpec} from '../../source/spec/cluster.ts';
import {collect, testConnectDependencies} from '../helpers/command-world.ts';
import {FakeShell} from '../helpers/fake-shell.ts';
import {testSecrets} from '../helpers/secrets.ts';
import {type ExampleName, exampleText, specOf} from '../helpers/spec.ts';
import {templates} from '../helpers/templates.ts';
import {adminConfOf, factsOutput, testNow} from '../steps/step-harness.ts';

function workspace(example: ExampleName = 'three-control-planes'): string {
	const directory = mkdtempSync(join(tmpdir(), 'kubeha-add-node-'));
	writeFileSync(join(directory, 'cluster.yaml'), exampleText(example));
	copyFileSync('test/fixtures/secrets.yaml', join(directory, 'cluster.secrets.yaml'));
	return directory;
}

/** The three-control-planes example with worker3 added, as add-node writes it. */
const withWorker3 = specOf((draft) => {
	draft.nodes.push({name: 'worker3', address: '192.168.1.103', roles: ['worker']});
});

/**
The example's nodes installed and healthy, worker3 a fresh host (no files yet); every check says in place, so the
run goes through without acting.
*/
function cluster(spec: ClusterSpec = withWorker3): FakeShell {
	const shell = new FakeShell();
	for (const host of installedFiles(spec, renderCluster(spec, testSecrets, templates))) {
		const answer = host.files
			.map((file) =>
				host.node === 'worker3'
					? 'kubeha-file absent\n'
					: `kubeha-file ${file.mode.toString(8)} ${Buffer.from(file.content).toString('base64')}\n`,
			)
			.join('');
		shell.on('kubeha-file', {stdout: answer}, host.node);
	}

	for (const node of spec.nodes) {
		shell.on('@@kubeha:', {stdout: factsOutput(spec, node)}, node.name);
	}

	return shell
		.on('cat /etc/kubernetes/admin.conf', {stdout: adminConfOf('S0VZ')})
		.on('kubeha-missing: ', {stdout: ''})
		.on('kubeha_failed=0', {stdout: 'kubeha: ok: checked\n'});
}

function dependencies(shell: FakeShell | undefined, overrides: Partial<SessionDependencies> = {}): SessionDependencies {
	return {
		...testConnectDependencies(shell),
		now: () => testNow,
		...overrides,
	};
}

const worker3 = (directory: string, options: Partial<AddNodeOptions> = {}): AddNodeOptions => ({
	config: join(directory, 'cluster.yaml'),
	name: 'worker3',
	address: '192.168.1.103',
	role: ['worker'],
	...options,
});

describe('kubeha add-node', () => {
	it('shows the spec change and the plan against the hosts, writes the spec (keeping the previous) and applies', async () => {
		const directory = workspace();
		const config = join(directory, 'cluster.yaml');
		const output = collect();
		const shell = cluster();
		assert.equal(await addNodeCommand(worker3(directory, {yes: true}), output, dependencies(shell)), 0);
		const text = output.lines.join('\n');
		assert.match(text, /^\+ {2}- name: worker3\n\+ {4}address: 192\.168\.1\.103\n\+ {4}roles: \[worker]$/m);
		assert.match(text, /^cp1: unchanged \(\d+ files\)$/m);
		assert.match(text, /^worker3: \d+ new, 0 unchanged$/m);
		assert.match(text, /^cluster prod is installed\./m);
		assert.equal(output.lines.at(-1), `worker3 is part of cluster prod; the previous ${config} is ${config}.previous.`);
		assert.equal(
			readFileSync(config, 'utf8'),
			`${exampleText('three-control-planes')}  - name: worker3\n    address: 192.168.1.103\n    roles: [worker]\n`,
		);
		assert.equal(readFileSync(`${config}.previous`, 'utf8'), exampleText('three-control-planes'));
		assert.ok(shell.calls.some((call) => call.host === 'worker3' && call.script.includes('@@kubeha:')));
	});

	it('asks in a terminal, and leaves the spec and the nodes alone on no', async () => {
		const directory = workspace();
		const questions: string[] = [];
		const shell = cluster();
		const deps = dependencies(shell, {
			interactive: true,
			confirm: async (message) => {
				questions.push(message);
				return false;
			},
		});
		const output = collect();
		assert.equal(await addNodeCommand(worker3(directory), output, deps), 1);
		assert.deepEqual(questions, [
			`Add worker3 to ${join(directory, 'cluster.yaml')} and apply cluster prod to its 6 nodes?`,
		]);
		assert.equal(readFileSync(join(directory, 'cluster.yaml'), 'utf8'), exampleText('three-control-planes'));
		assert.ok(
			shell.calls.every((call) => call.script.includes('kubeha-file')),
			'the hosts were only read',
		);
		assert.equal(output.lines.at(-1), 'nothing was changed.');
	});

	it('says where the result is weaker before asking', async () => {
		const directory = workspace();
		const withCp4 = specOf((draft) => {
			draft.nodes.push({name: 'cp4', address: '192.168.1.95', roles: ['control-plane'], priority: undefined});
		});
		const errors = collect();
		const deps = dependencies(cluster(withCp4), {interactive: true, confirm: async () => false});
		await addNodeCommand(
			worker3(directory, {name: 'cp4', address: '192.168.1.95', role: ['control-plane'], dryRun: true}),
			errors,
			deps,
		);
		assert.match(
			errors.errors.join('\n'),
			/^adding cp4 makes the cluster weaker in these ways:\nwarning .*cluster\.yaml with cp4:\d+:\d+ {2}4 control planes with stacked etcd/m,
		);
		assert.equal(
			readFileSync(join(directory, 'cluster.yaml'), 'utf8'),
			exampleText('three-control-planes'),
			'a dry run writes nothing',
		);
	});

	it('refuses a node the spec cannot take, and bad flags, with the spec unchanged', async () => {
		const directory = workspace();
		const output = collect();
		await assert.rejects(
			addNodeCommand(worker3(directory, {name: 'cp2'}), output, dependencies(undefined)),
			/kubeha did not add cp2; .*cluster\.yaml is unchanged\./,
		);
		assert.match(
			output.errors.join('\n'),
			/nodes\[1]\.name is already "cp2"; node names are unique \[add-node-name-taken]/,
		);
		await assert.rejects(
			addNodeCommand(worker3(directory, {role: ['worker', 'master']}), collect(), dependencies(undefined)),
			/--role "master" is not a role: use control-plane, worker, etcd, load-balancer/,
		);
		await assert.rejects(
			addNodeCommand(worker3(directory, {role: ['etcd']}), collect(), dependencies(undefined)),
			/kubeha did not add worker3: the spec would not be valid/,
		);
		await assert.rejects(
			addNodeCommand(worker3(directory, {priority: 'high'}), collect(), dependencies(undefined)),
			/--priority "high" is not a whole number/,
		);
		assert.equal(readFileSync(join(directory, 'cluster.yaml'), 'utf8'), exampleText('three-control-planes'));
		assert.ok(!existsSync(join(directory, 'cluster.yaml.previous')));
	});

	it('leaves a spec that changed while it was asking alone', async () => {
		const directory = workspace();
		const config = join(directory, 'cluster.yaml');
		const deps = dependencies(cluster(), {
			interactive: true,
			async confirm() {
				writeFileSync(config, `${exampleText('three-control-planes')}# edited meanwhile\n`);
				return true;
			},
		});
		await assert.rejects(
			addNodeCommand(worker3(directory), collect(), deps),
			/changed while kubeha was adding the node/,
		);
		assert.match(readFileSync(config, 'utf8'), /# edited meanwhile\n$/);
	});

	it('adds an etcd member only while every member is healthy, asking each on its host, and says which is not', async () => {
		const directory = workspace('external-etcd');
		const output = collect();
		const shell = new FakeShell()
			.on(
				'endpoint health',
				{
					stderr: 'https://10.20.0.32:2379 is unhealthy: failed to commit proposal: context deadline exceeded\n',
					exitCode: 1,
				},
				'etcd2',
			)
			.on('endpoint health', {stderr: 'https://10.20.0.31:2379 is healthy: successfully committed proposal\n'});
		const etcd4 = {name: 'etcd4', address: '10.20.0.34', role: ['etcd'], yes: true};
		await assert.rejects(
			addNodeCommand({...worker3(directory), ...etcd4}, output, dependencies(shell)),
			/kubeha did not add etcd4: etcd takes a new member only while all its members are healthy, and etcd2 \(https:\/\/10\.20\.0\.32:2379 is unhealthy: failed to commit proposal: context deadline exceeded\) is not\. .* is unchanged\./,
		);
		assert.deepEqual(
			shell.calls
				.filter((call) => call.script.includes('endpoint health'))
				.map((call) => call.host)
				.sort(),
			['etcd1', 'etcd2', 'etcd3'],
		);
		assert.equal(readFileSync(join(directory, 'cluster.yaml'), 'utf8'), exampleText('external-etcd'));
	});
});
