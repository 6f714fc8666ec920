import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import {describe, it} from 'node:test';
import {completeSpec} from '../../../source/spec/defaults.ts';
import {parsePath} from '../../../source/spec/load.ts';
import {validateSpec} from '../../../source/spec/rules/index.ts';
import {clusterSchema, type NodeSpec} from '../../../source/spec/schema.ts';
import {exampleNames, findingsOf, nodeNamed, specOf} from '../../helpers/spec.ts';

describe('validateSpec', () => {
	it('finds nothing in the examples', () => {
		for (const example of exampleNames) {
			assert.deepEqual(findingsOf(undefined, undefined, example), [], example);
		}
	});

	it('puts errors first, then follows the sections and nodes of the file', () => {
		const findings = findingsOf(undefined, (draft) => {
			nodeNamed(draft, 'worker2').address = 'bogus';
			nodeNamed(draft, 'cp1').address = 'bogus';
			draft.loadBalancer.virtualRouterId = 51;
			draft.kubernetes.version = 'v1.37.1';
			draft.name = 'Prod';
		});
		assert.deepEqual(
			findings.map((finding) => [finding.severity, finding.path]),
			[
				['error', 'name'],
				['error', 'kubernetes.version'],
				['error', 'nodes[0].address'],
				['error', 'nodes[4].address'],
				['warning', 'loadBalancer.virtualRouterId'],
			],
		);
	});

	it('copes with odd specs without throwing', () => {
		const odd = [
			specOf((draft) => {
				draft.nodes = [];
				delete draft.loadBalancer.vip;
				delete draft.loadBalancer.interface;
			}),
			specOf((draft) => {
				for (const node of draft.nodes) {
					node.address = '';
					node.name = '';
					node.roles = [];
				}

				draft.kubernetes.podSubnet = '';
				draft.kubernetes.serviceSubnet = '/';
				draft.loadBalancer.vip = '/';
			}),
			specOf((draft) => {
				delete draft.loadBalancer.endpoint;
				draft.nodes = [];
			}, 'external-load-balancer'),
		];
		for (const spec of odd) {
			assert.ok(validateSpec(spec).length > 0);
		}
	});

	it('says what, where and how to fix in every finding', () => {
		const findings = findingsOf(undefined, (draft) => {
			draft.name = 'Bad Name';
			draft.kubernetes.podSubnet = '192.168.0.0/30';
			draft.kubernetes.serviceSubnet = 'fd00::/108';
			draft.loadBalancer.port = 6443;
			draft.loadBalancer.statsPort = 10_250;
			draft.loadBalancer.virtualRouterId = 0;
			draft.loadBalancer.endpoint = 'lb:6443';
			draft.apiServer.certSANs = ['a b'];
			draft.ssh.user = 'me@host';
			nodeNamed(draft, 'cp2').priority = 255;
			nodeNamed(draft, 'worker1').roles = [];
			nodeNamed(draft, 'worker2').address = '192.168.1.94';
		});
		assert.ok(findings.length >= 12);
		for (const finding of findings) {
			assert.match(finding.rule, /^[a-z\d]+(?:-[a-z\d]+)*$/);
			assert.deepEqual(parsePath(finding.path).length > 0, true, finding.rule);
			assert.match(finding.message, /\S/);
			assert.match(finding.fix, /\.$/, `${finding.rule}: a fix is a sentence`);
		}
	});

	// Speed is measured by `npm run bench`, never asserted here.
	it('validates 1000 nodes: none found in a clean spec, every duplicate found in a broken one', () => {
		const nodes: NodeSpec[] = Array.from({length: 1000}, (_, index) => ({
			name: index < 3 ? `cp${index + 1}` : `worker${index}`,
			address: `172.20.${Math.floor(index / 250)}.${(index % 250) + 1}`,
			roles: index < 3 ? ['control-plane', 'load-balancer'] : ['worker'],
		}));
		const spec = completeSpec(
			clusterSchema.parse({
				apiVersion: 'kubeha/v1alpha1',
				kind: 'Cluster',
				name: 'big',
				kubernetes: {podSubnet: '10.64.0.0/14'},
				loadBalancer: {vip: '172.20.255.250/16', interface: 'eth0'},
				nodes,
			}),
		);
		assert.deepEqual(validateSpec(spec), []);
		// The same nodes, all sharing a name and an address: every per-node rule fires.
		const broken = {...spec, nodes: spec.nodes.map((node) => ({...node, name: 'x', address: '172.20.0.1'}))};
		const findings = validateSpec(broken);
		assert.equal(findings.filter((finding) => finding.rule === 'duplicate-node-name').length, 999);
		assert.equal(findings.filter((finding) => finding.rule === 'duplicate-node-address').length, 999);
	});
});

describe('docs/validation-rules.md', () => {
	it('documents every rule id the loader and the rules emit', () => {
		const rulesDirectory = new URL('../../../source/spec/rules/', import.meta.url);
		const sources = [
			...readdirSync(rulesDirectory).map((file) => new URL(file, rulesDirectory)),
			new URL('../../../source/spec/load.ts', import.meta.url),
		];
		const ids = new Set<string>();
		for (const file of sources) {
			const source = readFileSync(file, 'utf8');
			for (const match of source.matchAll(/(?:error|warning)\(\s*'([a-z\d-]+)'/g)) {
				ids.add(match[1] ?? '');
			}

			// Rule ids chosen per field are written as `rule: '…'` entries.
			for (const match of source.matchAll(/rule: '([a-z\d-]+)'/g)) {
				ids.add(match[1] ?? '');
			}
		}

		const documentation = readFileSync(new URL('../../../docs/validation-rules.md', import.meta.url), 'utf8');
		const documented = new Set([...documentation.matchAll(/^\|\s*`([a-z\d-]+)`\s*\|/gm)].map((match) => match[1]));
		assert.ok(ids.size > 40, `found only ${ids.size} rule ids in the sources`);
		assert.deepEqual(
			[...ids].filter((id) => !documented.has(id)),
			[],
		);
	});
});
