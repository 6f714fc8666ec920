import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {loadSpec} from '../../source/spec/load.ts';
import {TmuxTerminal, tmuxUnavailable} from '../helpers/pty.ts';
import {exampleText, expectedThreeControlPlanes} from '../wizard/helpers.ts';

const bin = fileURLToPath(new URL('../../bin/kubeha.js', import.meta.url));
const built = new URL('../../distribution/source/cli.js', import.meta.url);

const enter = (times: number) => Array.from({length: times}, () => 'Enter');

test('the built kubeha in a terminal: the TUI, typed into like an operator, saves examples/three-control-planes.yaml', {
	timeout: 120_000,
	skip: tmuxUnavailable(),
}, async (t) => {
	assert.ok(existsSync(built), 'this test drives bin/kubeha.js: run `npm run build` first (`npm test` does)');
	const cwd = mkdtempSync(join(tmpdir(), 'kubeha-tmux-'));
	// CI=true would make ink draw only the last frame; the test is a terminal, whatever runs it.
	const terminal = TmuxTerminal.start({command: ['env', '-u', 'CI', process.execPath, bin], cwd});
	t.after(() => terminal.kill());

	await terminal.waitFor('Topology (1/8)');
	terminal.text('prod');
	await terminal.waitFor(/Cluster name +prod/);
	terminal.keys(...enter(7));
	await terminal.waitFor('Nodes (2/8)');
	terminal.text('192.168.1.91-93');
	terminal.keys('Enter');
	await terminal.waitFor(/cp3 +192\.168\.1\.93/);
	terminal.text('192.168.1.101-102');
	terminal.keys('Enter');
	await terminal.waitFor(/worker2 +192\.168\.1\.102/);
	terminal.keys('Enter');
	await terminal.waitFor('Virtual IP (3/8)');
	terminal.text('192.168.1.94/24');
	terminal.keys('Enter');
	terminal.text('ens192');
	await terminal.waitFor(/Interface +ens192/);
	terminal.keys(...enter(7));
	await terminal.waitFor('Ports (4/8)');
	terminal.keys('Enter', 'Enter');
	terminal.text('1080');
	await terminal.waitFor(/stats port +1080/);
	terminal.keys('Enter', 'Enter');
	await terminal.waitFor('Kubernetes (5/8)');
	terminal.keys(...enter(5));
	await terminal.waitFor('SSH access (6/8)');
	terminal.keys(...enter(5));
	await terminal.waitFor(/5 hosts, \d+ files: \d+ new, 0 changed, 0 unchanged\./);
	terminal.keys('Enter');
	await terminal.waitFor('Confirm (8/8)');
	terminal.keys('Enter');
	await terminal.waitFor('exit code 0');

	const saved = readFileSync(join(cwd, 'cluster.yaml'), 'utf8');
	assert.deepEqual(loadSpec(saved).spec, loadSpec(exampleText('three-control-planes')).spec);
	assert.equal(saved, expectedThreeControlPlanes());
});
