import assert from 'node:assert/strict';
import {type SpawnSyncReturns, spawnSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {repositoryRoot} from '../helpers/cli.ts';

const bin = fileURLToPath(new URL('../../bin/kubeha.js', import.meta.url));
const engines = (
	JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {engines: {node: string}}
).engines.node;
// Debian 12's own Node (and this development machine's) is 20: the one a newcomer meets first.
const machineNode = '/usr/bin/node';
const machineNodeVersion = existsSync(machineNode)
	? spawnSync(machineNode, ['-p', 'process.versions.node'], {encoding: 'utf8'}).stdout.trim()
	: '';
// Before anything else runs, process.versions says Node 20.11.1: what the guard reads, whatever Node runs it.
const fakeNode20 = `data:text/javascript,Object.defineProperty(process, 'versions', {value: {...process.versions, node: '20.11.1'}})`;

const commands = [
	[],
	['--version'],
	['--help'],
	['validate', '-c', 'examples/three-control-planes.yaml'],
	['apply', '--dry-run'],
	['status'],
];

function assertRefused(result: SpawnSyncReturns<string>, found: string): void {
	assert.equal(result.status, 2, result.stderr);
	assert.equal(result.stdout, '');
	const lines = result.stderr.split('\n').filter(Boolean);
	assert.equal(lines.length, 1, `one line, not a stack trace:\n${result.stderr}`);
	assert.match(
		lines[0] ?? '',
		new RegExp(`needs Node\\.js ${engines.replace(/[.]/g, '\\.')} .*found ${found.replace(/[.]/g, '\\.')} at `),
	);
	assert.match(lines[0] ?? '', /install Node\.js 22/);
}

describe('bin/kubeha.js under a Node older than package.json engines', () => {
	for (const args of commands) {
		test(`kubeha ${args.join(' ')} under a faked Node 20: one line, exit 2`, () => {
			const result = spawnSync(process.execPath, ['--import', fakeNode20, bin, ...args], {
				cwd: repositoryRoot,
				encoding: 'utf8',
				timeout: 30_000,
			});
			assertRefused(result, '20.11.1');
		});
	}

	for (const args of commands) {
		test(`kubeha ${args.join(' ')} under the machine's own Node ${machineNodeVersion}`, (t) => {
			if (!machineNodeVersion.startsWith('20.')) {
				t.skip(`${machineNode} is not Node 20 here (${machineNodeVersion || 'absent'}); the faked version covers it`);
				return;
			}
			const result = spawnSync(machineNode, [bin, ...args], {cwd: repositoryRoot, encoding: 'utf8', timeout: 30_000});
			assertRefused(result, machineNodeVersion);
		});
	}

	test('the Node that runs the tests passes the guard', () => {
		const result = spawnSync(process.execPath, [bin, '--version'], {cwd: repositoryRoot, encoding: 'utf8'});
		assert.equal(result.status, 0, result.stderr);
		assert.match(result.stdout, /^\d+\.\d+\.\d+/);
	});
});
