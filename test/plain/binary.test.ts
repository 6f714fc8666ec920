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

/** Prompts and what to type at each, for examples/three-control-planes.yaml; empty takes the answer shown. */
const threeControlPlanesAnswers: readonly (readonly [string, string])[] = [
	['Cluster name', 'prod'],
	['Control planes', ''],
	['etcd', ''],
	['Workers', ''],
	['Load balancer', ''],
	['Run them as', ''],
	['Address of cp1', '192.168.1.91-93'],
	['Address of worker1', '192.168.1.101-102'],
	['Nodes', ''],
	['Virtual IP', '192.168.1.94/24'],
	['Interface', 'ens192'],
	['VRRP id', ''],
	['VRRP adverts', ''],
	['Priority of cp1', ''],
	['Priority of cp2', ''],
	['Priority of cp3', ''],
	['Port on the VIP', ''],
	['API server port', ''],
	['haproxy stats port', '1080'],
	['Version', ''],
	['Pod subnet', ''],
	['Service subnet', ''],
	['Pod network (CNI)', ''],
	['SSH user', ''],
	['SSH port', ''],
	['SSH key', ''],
	['Check SSH to every host now?', ''],
	['Review', ''],
	['What now?', ''],
];

test('the built kubeha --plain in a terminal writes the same cluster.yaml as the TUI', {
	timeout: 120_000,
	skip: tmuxUnavailable(),
}, async (t) => {
	assert.ok(existsSync(built), 'this test drives bin/kubeha.js: run `npm run build` first (`npm test` does)');
	const cwd = mkdtempSync(join(tmpdir(), 'kubeha-tmux-plain-'));
	const terminal = TmuxTerminal.start({command: [process.execPath, bin, '--plain'], cwd});
	t.after(() => terminal.kill());

	for (const [prompt, typed] of threeControlPlanesAnswers) {
		await terminal.waitForPrompt(prompt);
		if (typed !== '') {
			terminal.text(typed);
		}

		terminal.keys('Enter');
	}

	await terminal.waitFor('exit code 0');
	const saved = readFileSync(join(cwd, 'cluster.yaml'), 'utf8');
	assert.deepEqual(loadSpec(saved).spec, loadSpec(exampleText('three-control-planes')).spec);
	assert.equal(saved, expectedThreeControlPlanes());
});
