import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {loadSpec} from '../../source/spec/load.ts';
import {exampleNames, exampleText} from '../helpers/spec.ts';

/** A minimal valid spec, so each test shows only the lines it is about. */
const header = 'apiVersion: kubeha/v1alpha1\nkind: Cluster\nname: prod\n';
const oneNode = 'nodes:\n  - name: cp1\n    address: 192.168.1.91\n    roles: [control-plane]\n';
const loadBalancer = 'loadBalancer:\n  mode: external\n  endpoint: lb.example.com:6443\n';

/** The only finding of a load, which must be invalid. */
function onlyFinding(text: string) {
	const result = loadSpec(text);
	assert.equal(result.valid, false);
	assert.equal(result.findings.length, 1, JSON.stringify(result.findings, undefined, 2));
	const [finding] = result.findings;
	assert.ok(finding);
	return finding;
}

describe('loadSpec', () => {
	it('loads every example without findings', () => {
		for (const name of exampleNames) {
			const result = loadSpec(exampleText(name));
			assert.deepEqual(result.findings, [], name);
			assert.equal(result.valid, true);
			assert.ok(result.spec);
		}
	});

	it('fills derived defaults', () => {
		const {spec} = loadSpec(exampleText('five-control-planes-unicast'));
		assert.equal(spec?.loadBalancer.port, 8443);
		assert.deepEqual(
			spec?.nodes.map((node) => node.priority),
			[140, 130, 120, 110, 100],
		);
	});

	it('a minimal spec is valid', () => {
		assert.deepEqual(loadSpec(header + loadBalancer + oneNode).findings, []);
	});

	it('reports an empty file, or one with only comments', () => {
		for (const text of ['', '\n\n', '# just a comment\n', '~\n']) {
			assert.equal(onlyFinding(text).rule, 'empty-file');
		}
	});

	it('reports YAML syntax errors with line and column', () => {
		const finding = onlyFinding(`${header}nodes: [unclosed\n`);
		assert.equal(finding.rule, 'yaml-syntax');
		assert.equal(finding.line, 5);
		assert.equal(finding.column, 1);
		assert.match(finding.message, /not valid YAML/);
	});

	it('reports tabs used for indentation where they are', () => {
		const finding = onlyFinding(`${header}loadBalancer:\n\tmode: external\n`);
		assert.equal(finding.rule, 'yaml-syntax');
		assert.equal(finding.line, 5);
		assert.match(finding.message, /Tabs/);
	});

	it('reports a key given twice', () => {
		const finding = onlyFinding(`${header}name: again\n${oneNode}`);
		assert.equal(finding.rule, 'yaml-syntax');
		assert.equal(finding.line, 4);
		assert.match(finding.message, /unique/);
	});

	it('reports several documents in one file', () => {
		assert.equal(onlyFinding(`${header}---\n${oneNode}`).rule, 'yaml-syntax');
	});

	it('reports an unknown field at its key, with the field it most likely means', () => {
		const finding = onlyFinding(`${header}loadBalancer:\n  mode: kube-vip\n  vipp: 192.168.1.94/24\n${oneNode}`);
		assert.equal(finding.rule, 'unknown-field');
		assert.equal(finding.path, 'loadBalancer.vipp');
		assert.equal(finding.line, 6);
		assert.equal(finding.column, 3);
		assert.match(finding.message, /did you mean "vip"/);
		assert.equal(finding.fix, 'rename it to "vip".');
	});

	it('lists the known fields when nothing is close', () => {
		const finding = onlyFinding(`${header}${loadBalancer}${oneNode}colour: blue\n`);
		assert.equal(finding.path, 'colour');
		assert.match(finding.fix, /apiVersion, kind, name, kubernetes/);
	});

	it('reports an unknown field inside a node', () => {
		const finding = onlyFinding(`${header}${loadBalancer}${oneNode}    prority: 100\n`);
		assert.equal(finding.path, 'nodes[0].prority');
		assert.match(finding.message, /did you mean "priority"/);
	});

	it('tells to quote a version YAML read as a number', () => {
		const finding = onlyFinding(`${header}kubernetes:\n  version: 1.30\n${loadBalancer}${oneNode}`);
		assert.equal(finding.rule, 'wrong-type');
		assert.equal(finding.path, 'kubernetes.version');
		assert.match(finding.message, /1\.3 \(a number\), but must be a string/);
		assert.equal(finding.fix, 'write it in quotes: "1.30".');
		assert.deepEqual([finding.line, finding.column], [5, 12]);
	});

	it('reports a string where a list belongs', () => {
		const finding = onlyFinding(
			`${header}${loadBalancer}nodes:\n  - name: cp1\n    address: 192.168.1.91\n    roles: control-plane\n`,
		);
		assert.equal(finding.path, 'nodes[0].roles');
		assert.match(finding.message, /"control-plane" \(a string\), but must be a list/);
	});

	it('reports a quoted port', () => {
		const finding = onlyFinding(`${header}${loadBalancer}ssh:\n  port: "22"\n${oneNode}`);
		assert.equal(finding.fix, 'write a number without quotes.');
	});

	it('reports a file that is not a mapping', () => {
		const finding = onlyFinding('- cp1\n- cp2\n');
		assert.equal(finding.rule, 'wrong-type');
		assert.match(finding.message, /^the file is a list, but must be a mapping/);
		assert.match(finding.fix, /apiVersion: kubeha\/v1alpha1/);
	});

	it('reports missing required fields', () => {
		const result = loadSpec(
			`apiVersion: kubeha/v1alpha1\nkind: Cluster\n${loadBalancer}nodes:\n  - name: cp1\n    roles: [control-plane]\n`,
		);
		assert.deepEqual(
			result.findings.map((finding) => [finding.rule, finding.path]),
			[
				['required-field', 'name'],
				['required-field', 'nodes[0].address'],
			],
		);
	});

	it('reports an unknown mode and role with the choices', () => {
		const finding = onlyFinding(`${header}loadBalancer:\n  mode: haproxy\n${oneNode}`);
		assert.equal(finding.rule, 'unknown-value');
		assert.match(finding.fix, /"keepalived-haproxy", "kube-vip", "external"/);
	});

	it('reports a wrong apiVersion', () => {
		const finding = onlyFinding(`apiVersion: kubeha/v1\nkind: Cluster\nname: prod\n${loadBalancer}${oneNode}`);
		assert.equal(finding.rule, 'unknown-kind');
		assert.equal(finding.fix, 'write "kubeha/v1alpha1".');
	});

	it('reports an empty section as empty', () => {
		const finding = onlyFinding(`${header}kubernetes:\n${loadBalancer}${oneNode}`);
		assert.equal(finding.message, 'kubernetes is empty, but must be a mapping');
	});

	it('describes a circular alias without throwing', () => {
		const finding = onlyFinding(`${header.replace('name: prod', 'name: &loop [*loop]')}${loadBalancer}${oneNode}`);
		assert.equal(finding.message, 'name is a list, but must be a string');
	});

	it('refuses an alias bomb', () => {
		const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
		for (const [from, to] of [
			['a', 'b'],
			['b', 'c'],
			['c', 'd'],
		] as const) {
			bomb.push(`${to}: &${to} [${Array.from({length: 10}, () => `*${from}`).join(', ')}]`);
		}

		assert.equal(onlyFinding(`${bomb.join('\n')}\n`).rule, 'yaml-aliases');
	});

	it('locates rule findings in the file', () => {
		const text = exampleText('three-control-planes').replace('address: 192.168.1.92', 'address: 192.168.1.300');
		const finding = onlyFinding(text);
		assert.equal(finding.rule, 'node-address');
		const line = text.split('\n').findIndex((content) => content.includes('192.168.1.300')) + 1;
		assert.deepEqual([finding.line, finding.column], [line, 14]);
	});

	it('stays valid with warnings only', () => {
		const result = loadSpec(exampleText('three-control-planes').replace('statsPort: 1080', 'virtualRouterId: 51'));
		assert.equal(result.valid, true);
		assert.deepEqual(
			result.findings.map((finding) => finding.rule),
			['virtual-router-id-common'],
		);
	});
});
