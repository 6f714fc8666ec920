import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {skippedBlock} from './skipped-summary.ts';

const reporter = fileURLToPath(new URL('skipped-summary.ts', import.meta.url));

test('the block groups skipped tests by reason, one line each with the files, and is empty when none was skipped', () => {
	assert.equal(skippedBlock([]), '');
	const root = '/repo';
	const block = skippedBlock(
		[
			{reason: 'needs root: run the tests as root', file: '/repo/test/lab/a.test.ts'},
			{reason: 'tmux is not installed: apt-get install -y tmux', file: '/repo/test/ui/binary.test.ts'},
			{reason: 'needs root: run the tests as root', file: '/repo/test/lab/b.test.ts'},
			{reason: 'needs root: run the tests as root', file: '/repo/test/lab/a.test.ts'},
		],
		root,
	);
	assert.equal(
		block,
		`
skipped on this machine (tests and suites, 4 in all); each line says how to run them (as root, .ci/run installs every package and runs npm test):
  3 skipped (test/lab/a.test.ts, test/lab/b.test.ts): needs root: run the tests as root
  1 skipped (test/ui/binary.test.ts): tmux is not installed: apt-get install -y tmux
`,
	);
});

test('node --test with the reporter after spec ends with the block, after the counts', () => {
	const directory = mkdtempSync(join(tmpdir(), 'kubeha-reporter-'));
	writeFileSync(
		join(directory, 'sample.test.ts'),
		`import {describe, test} from 'node:test';
describe('on real ssh', {skip: 'needs root: run the tests as root'}, () => { test('logs in', () => {}); });
test('haproxy -c', {skip: 'haproxy is not installed: apt-get install -y haproxy'}, () => {});
test('runs', () => {});
`,
	);
	const result = spawnSync(
		process.execPath,
		[
			'--test',
			'--test-reporter=spec',
			'--test-reporter-destination=stdout',
			`--test-reporter=${reporter}`,
			'--test-reporter-destination=stdout',
			'sample.test.ts',
		],
		// Without NODE_TEST_CONTEXT: set by the runner of this test, it makes the child report to it instead.
		{cwd: directory, encoding: 'utf8', env: {...process.env, NO_COLOR: '1', NODE_TEST_CONTEXT: undefined}},
	);
	assert.equal(result.status, 0, result.stderr + result.stdout);
	const tail = result.stdout.slice(result.stdout.lastIndexOf('ℹ duration_ms'));
	assert.match(
		tail,
		/\nskipped on this machine \(tests and suites, 2 in all\); each line says how to run them \(as root, \.ci\/run installs every package and runs npm test\):\n {2}1 skipped \(sample\.test\.ts\): needs root: run the tests as root\n {2}1 skipped \(sample\.test\.ts\): haproxy is not installed: apt-get install -y haproxy\n$/,
	);
});
