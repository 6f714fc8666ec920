import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {parse} from 'yaml';
import {removeNodeFromSpecText} from '../../source/spec/remove-node.ts';
import {exampleNames, exampleText} from '../helpers/spec.ts';

type Listed = {nodes: Array<{name: string}>};
const namesIn = (text: string) => (parse(text) as Listed).nodes.map((node) => node.name);

/** The lines of `text` minus those from line `from` (0-based) up to, not including, line `to`. */
const withoutLines = (text: string, from: number, to: number) => {
	const lines = text.split('\n');
	return [...lines.slice(0, from), ...lines.slice(to)].join('\n');
};

const commented = `# the cluster
apiVersion: kubeha/v1alpha1
kind: Cluster
name: lab
nodes:
  # about the list
  - name: cp1
    address: 10.0.0.1   # odd spacing, kept
    roles: [ control-plane, load-balancer ]
  # cp2 is the spare
  - name: cp2
    address: 10.0.0.2
    roles: [ control-plane ]

  # cp3, after a blank line
  - name: cp3
    address: 10.0.0.3
    roles: [ control-plane ]
# after the list
loadBalancer:
  mode: external
  endpoint: lb.example.com:6443
`;

describe('removeNodeFromSpecText', () => {
	it('cuts exactly the lines of the entry from every example, whichever node it is', () => {
		for (const example of exampleNames) {
			const text = exampleText(example);
			const names = namesIn(text);
			for (const name of names) {
				const result = removeNodeFromSpecText(text, name);
				assert.deepEqual(
					namesIn(result),
					names.filter((other) => other !== name),
					`${example} without ${name}`,
				);
				const lines = text.split('\n');
				const first = lines.findIndex((line) => line.trim() === `- name: ${name}`);
				const next = lines.findIndex((line, index) => index > first && /^\s*- |^\S/.test(line));
				// The last entry runs to the end of the file, whose last "line" is the empty one after its newline.
				const end = next === -1 ? lines.length - 1 : next;
				assert.equal(result, withoutLines(text, first, end), `${example} without ${name}: only its lines go`);
			}
		}
	});

	it('takes the comment and blank lines just above an entry with it, and keeps every other line as written', () => {
		assert.equal(removeNodeFromSpecText(commented, 'cp2'), withoutLines(commented, 9, 13));
		assert.equal(removeNodeFromSpecText(commented, 'cp3'), withoutLines(commented, 13, 18));
		// A comment above the first entry may be about the list: it stays.
		assert.equal(removeNodeFromSpecText(commented, 'cp1'), withoutLines(commented, 6, 9));
	});

	it('keeps one-line entries and Windows line ends as they are', () => {
		const flowItems = 'nodes:\n  - {name: a, roles: [worker]}\n  - {name: b, roles: [ worker ]}\nname: x\n';
		assert.equal(removeNodeFromSpecText(flowItems, 'a'), 'nodes:\n  - {name: b, roles: [ worker ]}\nname: x\n');
		const crlf = 'nodes:\r\n  - name: a\r\n  - name: b\r\nname: x\r\n';
		assert.equal(removeNodeFromSpecText(crlf, 'b'), 'nodes:\r\n  - name: a\r\nname: x\r\n');
	});

	it('prints a flow list with the entry deleted, comments kept', () => {
		const result = removeNodeFromSpecText('nodes: [{name: a}, {name: b}] # two nodes\nname: x\n', 'a');
		assert.equal(result, 'nodes: [{name: b}] # two nodes\nname: x\n');
	});

	it('refuses a name the spec does not list', () => {
		assert.throws(() => removeNodeFromSpecText(commented, 'cp9'), /lists no node named cp9/);
	});
});
