import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {basename, join} from 'node:path';
import {after, describe, test} from 'node:test';
import {haproxyConfigPath} from '../../source/render/haproxy.ts';
import {loadBalancerFiles} from '../../source/render/load-balancer.ts';
import type {RenderedFile} from '../../source/render/types.ts';
import {type ClusterSpec, interfaceOf, loadBalancerNodes} from '../../source/spec/cluster.ts';
import {loadSpec} from '../../source/spec/load.ts';
import type {NodeSpec} from '../../source/spec/schema.ts';
import {netnsUnavailable, withNetns} from '../helpers/netns.ts';
import {testSecrets} from '../helpers/secrets.ts';
import {templates} from '../helpers/templates.ts';

/**
The rendered files against the real tools: `haproxy -c` and `keepalived -t`, as installed on the lab machines
(Debian's haproxy 2.6 and keepalived 2.2.7). Missing tools or privileges skip the tests, with the reason.
*/

const installed = (command: string, args: string[]): boolean => spawnSync(command, args).status === 0;

const examples = readdirSync('examples')
	.filter((name) => name.endsWith('.yaml'))
	.map((name) => {
		const {spec, findings} = loadSpec(readFileSync(join('examples', name), 'utf8'));
		assert.ok(spec, `${name}: ${JSON.stringify(findings)}`);
		return {name: basename(name, '.yaml'), spec};
	});

const lbNodes = examples.flatMap(({name, spec}) => loadBalancerNodes(spec).map((node) => ({name, spec, node})));

const scratch = mkdtempSync(join(tmpdir(), 'kubeha-lb-tools-'));
after(() => rmSync(scratch, {recursive: true, force: true}));

/** Writes a node's files under `directory` with their modes; returns the directory. */
function writeFiles(directory: string, files: readonly RenderedFile[]): string {
	// keepalived's script security refuses scripts in directories that others may write, and mkdtemp makes 0700.
	chmodSync(directory, 0o755);
	for (const file of files) {
		const path = join(directory, basename(file.path));
		writeFileSync(path, file.content);
		chmodSync(path, file.mode);
	}

	return directory;
}

const filesOf = (spec: ClusterSpec, node: NodeSpec): RenderedFile[] =>
	loadBalancerFiles({spec, secrets: testSecrets, templates}, node);

/** haproxy's verdict: exit status and everything it printed. */
function haproxyCheck(config: string): {status: number | null; output: string} {
	const path = join(mkdtempSync(join(scratch, 'haproxy-')), 'haproxy.cfg');
	writeFileSync(path, config);
	const result = spawnSync('haproxy', ['-c', '-f', path], {encoding: 'utf8'});
	return {status: result.status, output: `${result.stdout}${result.stderr}`.trim()};
}

describe('haproxy -c', {
	skip: installed('haproxy', ['-v']) ? false : 'haproxy is not installed: apt-get install -y haproxy',
}, () => {
	test('notices a warning (the check can fail)', () => {
		const {status, output} = haproxyCheck(
			[
				'defaults',
				'    mode tcp',
				'    option httplog',
				'    timeout connect 1s',
				'    timeout client 1s',
				'    timeout server 1s',
				'frontend f',
				'    bind 127.0.0.1:18443',
				'    default_backend b',
				'backend b',
				'    server s 127.0.0.1:6443',
				'',
			].join('\n'),
		);
		assert.equal(status, 0);
		assert.match(output, /\[WARNING\].*'option httplog' not usable/);
	});

	for (const {name, spec, node} of lbNodes) {
		test(`${name}/${node.name}: valid and without a warning`, () => {
			const config = filesOf(spec, node).find((file) => file.path === haproxyConfigPath);
			assert.ok(config);
			assert.deepEqual(haproxyCheck(config.content), {status: 0, output: 'Configuration file is valid'});
		});
	}
});

/** Why keepalived -t cannot run here, or false. */
function keepalivedSkip(): string | false {
	if (!installed('keepalived', ['--version'])) {
		return 'keepalived is not installed: apt-get install -y keepalived';
	}

	if (!existsSync('/etc/keepalived')) {
		return '/etc/keepalived is missing, so the rendered files cannot be mounted there (reinstall keepalived)';
	}

	return netnsUnavailable() ?? false;
}

/** keepalived -t on a node's rendered files, seen at /etc/keepalived, in a namespace with these interfaces. */
function keepalivedCheck(spec: ClusterSpec, node: NodeSpec, interfaces: readonly string[]) {
	const directory = writeFiles(
		mkdtempSync(join(scratch, `${node.name}-`)),
		filesOf(spec, node).filter((file) => file.path.startsWith('/etc/keepalived/')),
	);
	return withNetns(interfaces, (exec) =>
		exec({
			command: 'keepalived',
			args: ['-t', '-f', '/etc/keepalived/keepalived.conf'],
			binds: [{source: directory, target: '/etc/keepalived'}],
		}),
	);
}

describe('keepalived -t', {skip: keepalivedSkip()}, () => {
	const [first] = lbNodes;

	test('notices a missing interface (the check can fail)', () => {
		assert.ok(first);
		const result = keepalivedCheck(first.spec, first.node, ['not-it0']);
		assert.notEqual(result.status, 0);
		assert.match(result.stderr, /interface .* doesn't exist/);
	});

	for (const {name, spec, node} of lbNodes) {
		test(`${name}/${node.name}: exit status 0 with its interface present`, () => {
			const result = keepalivedCheck(spec, node, [interfaceOf(spec, node) ?? '']);
			assert.deepEqual(
				{status: result.status, signal: result.signal, stderr: result.stderr},
				{
					status: 0,
					signal: null,
					stderr: '',
				},
			);
		});
	}
});
