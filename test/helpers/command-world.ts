// What a command test gives a command in place of the world: a spec directory, collected output, and
// dependencies that ask nothing, connect only to the test's shell, and ignore Ctrl-C.
import assert from 'node:assert/strict';
import {copyFileSync, mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {Shell} from '../../source/runner/shell.ts';
import type {ConnectDependencies, OnInterrupt} from '../../source/session/dependencies.ts';
import type {CommandOutput} from '../../source/session/output.ts';
import type {ExampleName} from './spec.ts';

/** A directory holding an example as cluster.yaml, with the fixed test secrets beside it. */
export function workspace(example: ExampleName = 'three-control-planes'): string {
	const directory = mkdtempSync(join(tmpdir(), 'kubeha-command-'));
	copyFileSync(`examples/${example}.yaml`, join(directory, 'cluster.yaml'));
	copyFileSync('test/fixtures/secrets.yaml', join(directory, 'cluster.secrets.yaml'));
	return directory;
}

export type Collected = CommandOutput & {readonly lines: string[]; readonly errors: string[]; text(): string};

/** Output kept in memory: `lines` from out, `errors` from err, `text()` both. */
export function collect(): Collected {
	const lines: string[] = [];
	const errors: string[] = [];
	return {
		lines,
		errors,
		out: (text) => lines.push(text),
		err: (text) => errors.push(text),
		text: () => [...lines, ...errors].join('\n'),
	};
}

/** Output kept in memory as one list, out and err in the order they came: what an operator sees of a screen. */
export function collectInOrder(): {readonly lines: string[]; readonly output: CommandOutput} {
	const lines: string[] = [];
	return {lines, output: {out: (text) => lines.push(text), err: (text) => lines.push(text)}};
}

/** No terminal, no question expected, host keys settled, the test's shell as the only connection. */
export const testConnectDependencies = (
	shell: Shell | undefined,
): ConnectDependencies & {readonly onInterrupt: OnInterrupt} => ({
	interactive: false,
	confirm: () => Promise.reject(new Error('the test did not expect a question')),
	openShell: async () => {
		assert.ok(shell, 'the test did not expect a connection');
		return shell;
	},
	confirmHostKeys: async () => false,
	onInterrupt: () => () => undefined,
});
