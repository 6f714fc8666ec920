import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {answersFrom} from '../../source/wizard/answers.ts';
import {bundleCopy, defaultBundlePath, draftSaver, openSpec} from '../../source/wizard/session-io.ts';
import {exampleSpec, exampleText, expectedThreeControlPlanes} from './helpers.ts';

const scratch = () => mkdtempSync(join(tmpdir(), 'kubeha-wizard-io-'));

describe('openSpec', () => {
	test('a missing file is a new cluster', async () => {
		assert.deepEqual(await openSpec(join(scratch(), 'cluster.yaml')), {kind: 'missing'});
	});

	test('a file with rule errors opens (the screens show them); one of the wrong shape does not', async () => {
		const directory = scratch();
		const draft = join(directory, 'draft.yaml');
		writeFileSync(
			draft,
			'apiVersion: kubeha/v1alpha1\nkind: Cluster\nname: ""\nnodes: [{name: cp1, address: "", roles: []}]\n',
		);
		assert.equal((await openSpec(draft)).kind, 'opened');
		const broken = join(directory, 'broken.yaml');
		writeFileSync(broken, 'apiVersion: kubeha/v1alpha1\nkind: Cluster\nname: prod\nnodes: 3\n');
		const opened = await openSpec(broken);
		assert.equal(opened.kind, 'unusable');
		assert.ok(opened.kind === 'unusable' && opened.findings.some((finding) => finding.path === 'nodes'));
	});
});

describe('draftSaver', () => {
	test('writes the minimal spec atomically, keeping the previous version', async () => {
		const path = join(scratch(), 'cluster.yaml');
		writeFileSync(path, 'old');
		await draftSaver(path)(answersFrom(exampleSpec('three-control-planes')));
		assert.equal(readFileSync(path, 'utf8'), expectedThreeControlPlanes());
		assert.equal(readFileSync(`${path}.previous`, 'utf8'), 'old');
	});

	test('leaves an opened file byte for byte as it was until its meaning changes, then keeps its opening comment', async () => {
		const path = join(scratch(), 'cluster.yaml');
		const text = exampleText('three-control-planes');
		writeFileSync(path, text);
		const spec = exampleSpec('three-control-planes');
		const save = draftSaver(path, {spec, text});
		await save(answersFrom(spec));
		assert.equal(readFileSync(path, 'utf8'), text);
		await save(answersFrom({...spec, name: 'prod2'}));
		const saved = readFileSync(path, 'utf8');
		assert.match(saved, /^# yaml-language-server: \$schema=\.\.\/schema\/cluster\.schema\.json\n/);
		assert.match(saved, /\nname: prod2\n/);
		await save(answersFrom(spec));
		assert.equal(readFileSync(path, 'utf8'), text, 'changed back, the file is as it was opened, comments and all');
	});
});

test('bundleCopy reads the last exported bundle, and nothing when there is none', async () => {
	const directory = scratch();
	const bundle = defaultBundlePath(join(directory, 'cluster.yaml'));
	assert.equal(bundle, join(directory, 'cluster-bundle'));
	const node = exampleSpec('three-control-planes').nodes[0];
	assert.ok(node);
	assert.equal(await bundleCopy(bundle)(node, '/etc/haproxy/haproxy.cfg'), undefined);
	mkdirSync(join(bundle, 'hosts/cp1/etc/haproxy'), {recursive: true});
	writeFileSync(join(bundle, 'SHA256SUMS'), '');
	writeFileSync(join(bundle, 'hosts/cp1/etc/haproxy/haproxy.cfg'), 'global\n');
	assert.equal(await bundleCopy(bundle)(node, '/etc/haproxy/haproxy.cfg'), 'global\n');
	assert.equal(await bundleCopy(bundle)(node, '/etc/keepalived/keepalived.conf'), undefined);
});

test('a new cluster replacing an opened file does not inherit its opening comment', async () => {
	const path = join(scratch(), 'cluster.yaml');
	const text = exampleText('kube-vip');
	writeFileSync(path, text);
	const spec = exampleSpec('kube-vip');
	await draftSaver(path, {spec, text})({...answersFrom({...spec, name: 'fresh'}), intent: 'new'});
	assert.doesNotMatch(readFileSync(path, 'utf8'), /kube-vip on three control planes/);
});
