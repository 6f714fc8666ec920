import assert from 'node:assert/strict';
import {mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {UserError} from '../../source/io/user-error.ts';
import {Journal, journalFileName} from '../../source/runner/journal.ts';
import {canonicalJson, specHash} from '../../source/runner/spec-hash.ts';

describe('Journal', () => {
	let root: string;
	let count = 0;
	const fresh = () => join(root, String(count++));
	before(async () => {
		root = await mkdtemp(join(tmpdir(), 'kubeha-journal-'));
	});
	after(() => rm(root, {recursive: true}));
	const at = new Date('2026-01-02T03:04:05Z');

	it('starts empty and saved when not resuming, with mode 0600', async () => {
		const directory = fresh();
		const journal = await Journal.open(directory, {resume: false});
		assert.equal(journal.path, join(directory, journalFileName));
		assert.deepEqual(JSON.parse(await readFile(journal.path, 'utf8')), {version: 1, hosts: {}});
		assert.equal((await stat(journal.path)).mode & 0o777, 0o600);
	});

	it('keeps finished steps per host with their hash, across opening for resume', async () => {
		const directory = fresh();
		const journal = await Journal.open(directory, {resume: false});
		await journal.finish('cp1', 'install-haproxy', 'h1', at);
		const resumed = await Journal.open(directory, {resume: true});
		assert.equal(resumed.isFinished('cp1', 'install-haproxy', 'h1'), true);
		assert.equal(resumed.isFinished('cp1', 'install-haproxy', 'h2'), false, 'another hash');
		assert.equal(resumed.isFinished('cp2', 'install-haproxy', 'h1'), false, 'another host');
		assert.deepEqual(JSON.parse(await readFile(resumed.path, 'utf8')).hosts, {
			cp1: {'install-haproxy': {hash: 'h1', finishedAt: '2026-01-02T03:04:05.000Z'}},
		});
	});

	it('forgets a step on a host, on disk too', async () => {
		const directory = fresh();
		const journal = await Journal.open(directory, {resume: false});
		await journal.finish('cp1', 'a', 'h', at);
		await journal.forget('cp1', 'a');
		assert.equal((await Journal.open(directory, {resume: true})).isFinished('cp1', 'a', 'h'), false);
	});

	it('loses nothing when hosts finish at the same time', async () => {
		const directory = fresh();
		const journal = await Journal.open(directory, {resume: false});
		const hosts = ['cp1', 'cp2', 'cp3', 'w1', 'w2'];
		await Promise.all(hosts.map((host) => journal.finish(host, 'a', 'h', at)));
		const resumed = await Journal.open(directory, {resume: true});
		assert.ok(hosts.every((host) => resumed.isFinished(host, 'a', 'h')));
	});

	it('starts over without resuming, even when an old journal exists', async () => {
		const directory = fresh();
		await (await Journal.open(directory, {resume: false})).finish('cp1', 'a', 'h', at);
		await Journal.open(directory, {resume: false});
		assert.equal((await Journal.open(directory, {resume: true})).isFinished('cp1', 'a', 'h'), false);
	});

	it('resumes from nothing when there is no journal yet', async () => {
		const journal = await Journal.open(fresh(), {resume: true});
		assert.equal(journal.isFinished('cp1', 'a', 'h'), false);
	});

	it('refuses a file that is not a journal, naming it and saying what to do', async () => {
		const directory = fresh();
		await Journal.open(directory, {resume: false});
		await writeFile(join(directory, journalFileName), '{"version": 9}');
		await assert.rejects(Journal.open(directory, {resume: true}), (error: unknown) => {
			assert.ok(error instanceof UserError);
			assert.match(error.message, /journal\.json is not a kubeha journal \(version 1\)\. Run without resuming/);
			return true;
		});
	});
});

describe('specHash', () => {
	it('does not depend on key order', () => {
		assert.equal(specHash({a: 1, b: {c: [1, 2], d: 'x'}}), specHash({b: {d: 'x', c: [1, 2]}, a: 1}));
		assert.equal(canonicalJson({b: 1, a: {d: 2, c: 3}}), '{"a":{"c":3,"d":2},"b":1}');
	});

	it('changes with any value, and with array order', () => {
		const base = specHash({version: '1.37.1', nodes: ['cp1', 'cp2']});
		assert.notEqual(specHash({version: '1.37.2', nodes: ['cp1', 'cp2']}), base);
		assert.notEqual(specHash({version: '1.37.1', nodes: ['cp2', 'cp1']}), base);
		assert.match(base, /^[\da-f]{64}$/);
	});
});
