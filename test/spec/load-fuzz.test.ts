import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import fc from 'fast-check';
import {stringify} from 'yaml';
import {type LoadResult, loadSpec} from '../../source/spec/load.ts';
import {nodeRoles} from '../../source/spec/schema.ts';
import {exampleNames, exampleText} from '../helpers/spec.ts';

/** What every load must give, whatever the input: no throw, findings that say something, valid iff no errors. */
function assertSound(text: string): LoadResult {
	const result = loadSpec(text);
	for (const finding of result.findings) {
		assert.match(finding.rule, /^[a-z\d]+(?:-[a-z\d]+)*$/);
		assert.notEqual(finding.message, '');
		assert.notEqual(finding.fix, '');
	}

	assert.equal(result.valid, !result.findings.some((finding) => finding.severity === 'error'));
	return result;
}

/** Pieces of YAML syntax, so random text is often nearly YAML rather than plain noise. */
const yamlToken = fc.constantFrom(
	':',
	': ',
	'- ',
	'\n',
	'  ',
	'\t',
	'[',
	']',
	'{',
	'}',
	',',
	'&a ',
	'*a',
	'!!binary ',
	'? ',
	'|',
	'>',
	'"',
	"'",
	'#',
	'---\n',
	'~',
	'name',
	'nodes',
	'roles',
	'address',
	'loadBalancer',
	'apiVersion: kubeha/v1alpha1\n',
	'kind: Cluster\n',
	'1.30',
	'0x1F',
	'.nan',
	'192.168.1.1',
);

/** Plausible and implausible values for the fields rules read. */
const fieldValue = fc.oneof(
	fc.string(),
	fc.constantFrom('', '192.168.1.91', '192.168.1.94/24', '10.244.0.0/16', 'fd00::1', '0.0.0.0/0', '1.37.1', 'eth0'),
	fc.ipV4(),
	fc.ipV4().map((address) => `${address}/${address.length % 33}`),
);

const port = fc.oneof(fc.integer({min: -5, max: 70_000}), fc.constantFrom(22, 6443, 8443, 2379, 10_250, 30_000));

const node = fc.record(
	{
		name: fieldValue,
		address: fieldValue,
		roles: fc.array(fc.constantFrom(...nodeRoles), {maxLength: 5}),
		priority: fc.integer({min: -1, max: 300}),
		interface: fieldValue,
	},
	{requiredKeys: ['name', 'address', 'roles']},
);

/** Specs with the right shape and random values, so they get past the schema and reach every rule. */
const shapedSpec = fc.record({
	apiVersion: fc.constant('kubeha/v1alpha1'),
	kind: fc.constant('Cluster'),
	name: fieldValue,
	kubernetes: fc.record(
		{version: fieldValue, podSubnet: fieldValue, serviceSubnet: fieldValue, dnsDomain: fieldValue},
		{requiredKeys: []},
	),
	etcd: fc.record({topology: fc.constantFrom('stacked', 'external')}),
	loadBalancer: fc.record(
		{
			mode: fc.constantFrom('keepalived-haproxy', 'kube-vip', 'external'),
			deploy: fc.constantFrom('systemd', 'static-pod'),
			vip: fieldValue,
			port,
			interface: fieldValue,
			virtualRouterId: fc.integer({min: -1, max: 300}),
			unicast: fc.boolean(),
			statsPort: port,
			endpoint: fc.oneof(fieldValue, fc.constantFrom('lb.example.com:6443', 'https://lb:6443', '[::1]:6443')),
		},
		{requiredKeys: ['mode']},
	),
	apiServer: fc.record({bindPort: port, certSANs: fc.array(fieldValue, {maxLength: 3})}, {requiredKeys: []}),
	ssh: fc.record({user: fieldValue, port, identityFile: fieldValue}, {requiredKeys: []}),
	nodes: fc.array(node, {maxLength: 8}),
});

describe('loadSpec never throws', () => {
	it('on random text', () => {
		fc.assert(
			fc.property(fc.string({unit: 'binary', maxLength: 300}), (text) => void assertSound(text)),
			{
				numRuns: 300,
			},
		);
	});

	it('on random near-YAML', () => {
		fc.assert(
			fc.property(fc.array(yamlToken, {maxLength: 60}), (tokens) => void assertSound(tokens.join(''))),
			{numRuns: 500},
		);
	});

	it('on random JSON values', () => {
		fc.assert(
			fc.property(fc.jsonValue(), (value) => void assertSound(JSON.stringify(value) ?? '')),
			{
				numRuns: 300,
			},
		);
	});

	it('on specs of the right shape with random values', () => {
		let reachedRules = 0;
		fc.assert(
			fc.property(shapedSpec, (spec) => {
				if (assertSound(stringify(spec)).spec) {
					reachedRules++;
				}
			}),
			{numRuns: 300},
		);
		assert.ok(reachedRules > 250, `only ${reachedRules} of 300 specs got past the schema`);
	});

	it('on examples with random characters deleted or inserted', () => {
		const edit = fc.record({
			example: fc.constantFrom(...exampleNames),
			at: fc.nat(),
			remove: fc.nat({max: 8}),
			insert: fc.oneof(fc.string({maxLength: 4}), yamlToken),
		});
		fc.assert(
			fc.property(edit, ({example, at, remove, insert}) => {
				const text = exampleText(example);
				const position = at % (text.length + 1);
				assertSound(text.slice(0, position) + insert + text.slice(position + remove));
			}),
			{numRuns: 500},
		);
	});
});
