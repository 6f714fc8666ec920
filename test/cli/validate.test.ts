import assert from 'node:assert/strict';
import {mkdtempSync, readdirSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {parse} from 'yaml';
import {kubeha} from '../helpers/cli.ts';

const scratch = mkdtempSync(join(tmpdir(), 'kubeha-validate-'));
const write = (name: string, text: string): string => {
	const path = join(scratch, name);
	writeFileSync(path, text);
	return path;
};

describe('kubeha validate', () => {
	for (const example of readdirSync('examples').filter((name) => name.endsWith('.yaml'))) {
		test(`accepts examples/${example} with exit 0`, () => {
			const result = kubeha(['validate', '-c', `examples/${example}`]);
			assert.equal(result.status, 0, result.stderr + result.stdout);
			assert.match(result.stdout, /is valid/);
		});
	}

	test('--json gives {valid, errors, warnings} with rule, path and message, and exit 1 on errors', () => {
		const path = write(
			'typo.yaml',
			'apiVersion: kubeha/v1alpha1\nkind: Cluster\nname: prod\nnodes:\n  - name: cp1\n    adress: 192.168.1.91\n    roles: [control-plane]\n',
		);
		const result = kubeha(['validate', '-c', path, '--json']);
		assert.equal(result.status, 1);
		const report = JSON.parse(result.stdout) as {valid: boolean; errors: Array<Record<string, unknown>>};
		assert.equal(report.valid, false);
		const unknown = report.errors.find((finding) => finding['rule'] === 'unknown-field');
		assert.equal(unknown?.['path'], 'nodes[0].adress');
		assert.match(String(unknown?.['message']), /did you mean "address"/);
		assert.ok(report.errors.some((finding) => finding['path'] === 'nodes[0].address'));
	});

	test('human output names the file, line and column, the rule and the fix', () => {
		const path = write(
			'mode.yaml',
			'apiVersion: kubeha/v1alpha1\nkind: Cluster\nname: prod\nloadBalancer:\n  mode: kubevip\nnodes: []\n',
		);
		const result = kubeha(['validate', '-c', path]);
		assert.equal(result.status, 1);
		assert.match(result.stderr, /mode\.yaml:5:9 .*"kubevip".*\[unknown-value]/);
		assert.match(result.stderr, /fix: choose one of "keepalived-haproxy", "kube-vip", "external"/);
	});

	test('a YAML syntax error has a position and no stack trace', () => {
		const result = kubeha(['validate', '-c', write('broken.yaml', 'name: [prod\nnodes: 1\n')]);
		assert.equal(result.status, 1);
		assert.match(result.stderr, /broken\.yaml:\d+:\d+ .*not valid YAML/);
		assert.doesNotMatch(result.stderr, /\n\s+at /);
	});

	test('an empty file is an error, not a crash', () => {
		const result = kubeha(['validate', '-c', write('empty.yaml', '')]);
		assert.equal(result.status, 1);
		assert.match(result.stderr, /the file is empty \[empty-file]/);
	});

	test('a missing file says how to get one, with exit 2 and no stack trace', () => {
		const result = kubeha(['validate', '-c', join(scratch, 'absent.yaml')]);
		assert.equal(result.status, 2);
		assert.match(result.stderr, /absent\.yaml: no such file\. Name the spec with -c FILE/);
		assert.doesNotMatch(result.stderr, /\n\s+at /);
	});

	test('--show-defaults prints the effective spec with derived defaults', () => {
		const result = kubeha(['validate', '-c', 'examples/five-control-planes-unicast.yaml', '--show-defaults']);
		assert.equal(result.status, 0, result.stderr);
		const spec = parse(result.stdout) as {
			loadBalancer: {port: number; virtualRouterId: number};
			apiServer: {bindPort: number};
			nodes: Array<{priority?: number}>;
		};
		assert.equal(spec.loadBalancer.port, 8443);
		assert.equal(spec.loadBalancer.virtualRouterId, 77);
		assert.equal(spec.apiServer.bindPort, 6443);
		assert.deepEqual(
			spec.nodes.map((node) => node.priority),
			[140, 130, 120, 110, 100],
		);
	});
});

describe('kubeha', () => {
	test('--version prints the package version', () => {
		const result = kubeha(['--version']);
		assert.equal(result.status, 0);
		assert.match(result.stdout.trim(), /^\d+\.\d+\.\d+$/);
	});

	test('--help lists the commands', () => {
		const result = kubeha(['--help']);
		assert.equal(result.status, 0);
		for (const command of ['validate', 'render', 'export', 'schema']) {
			assert.match(result.stdout, new RegExp(`\\n  ${command}`));
		}
	});

	test('an unknown option is refused with a pointer to --help', () => {
		const result = kubeha(['validate', '--jsn']);
		assert.notEqual(result.status, 0);
		assert.match(result.stderr, /unknown option '--jsn'/);
	});
});
