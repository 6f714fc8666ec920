import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {
	copyFileSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	statSync,
	writeFileSync,
} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, relative} from 'node:path';
import {describe, test} from 'node:test';
import {parse} from 'yaml';
import {kubeha} from '../helpers/cli.ts';

/** A fresh directory holding a copy of one example as cluster.yaml. */
function workspace(example = 'three-control-planes'): string {
	const directory = mkdtempSync(join(tmpdir(), 'kubeha-export-'));
	copyFileSync(`examples/${example}.yaml`, join(directory, 'cluster.yaml'));
	return directory;
}

function filesUnder(directory: string): string[] {
	return readdirSync(directory, {recursive: true, withFileTypes: true})
		.filter((entry) => entry.isFile())
		.map((entry) => relative(directory, join(entry.parentPath, entry.name)))
		.sort();
}

/** Every secret value in a secrets file: strings that are not certificates. */
function secretValues(secretsPath: string): string[] {
	const values: string[] = [];
	const walk = (value: unknown, key: string): void => {
		if (typeof value === 'string') {
			if (!['cert', 'apiVersion', 'kind'].includes(key)) {
				values.push(
					...(value.includes('PRIVATE KEY') ? value.split('\n').filter((line) => line.length > 40) : [value]),
				);
			}
		} else if (value && typeof value === 'object') {
			for (const [childKey, child] of Object.entries(value)) {
				walk(child, childKey);
			}
		}
	};

	walk(parse(readFileSync(secretsPath, 'utf8')), '');
	return values;
}

describe('kubeha export', () => {
	test('writes hosts/<node>/<path>, cluster.yaml, README.md and a SHA256SUMS that sha256sum -c accepts', () => {
		const directory = workspace();
		const result = kubeha(['export', '-c', 'cluster.yaml', '-o', 'bundle'], {cwd: directory});
		assert.equal(result.status, 0, result.stderr);
		const bundle = join(directory, 'bundle');
		const files = filesUnder(bundle);
		assert.ok(files.includes('hosts/cp1/etc/haproxy/haproxy.cfg'), files.join('\n'));
		assert.ok(files.includes('hosts/cp1/etc/keepalived/keepalived.conf'));
		assert.ok(files.includes('hosts/worker1/etc/kubeha/kubeadm-join.yaml'));
		assert.equal(
			readFileSync(join(bundle, 'cluster.yaml'), 'utf8'),
			readFileSync(join(directory, 'cluster.yaml'), 'utf8'),
		);
		const check = execFileSync('sha256sum', ['-c', 'SHA256SUMS'], {cwd: bundle, encoding: 'utf8'});
		assert.equal(check.trim().split('\n').length, files.length - 1);
		assert.equal(statSync(join(bundle, 'hosts/cp1/etc/keepalived/check_apiserver.sh')).mode & 0o777, 0o755);
	});

	test('makes the secrets file beside the spec, mode 0600, and keeps every secret out of the bundle', () => {
		const directory = workspace('external-etcd');
		const result = kubeha(['export', '-o', 'bundle'], {cwd: directory});
		assert.equal(result.status, 0, result.stderr);
		assert.match(result.stderr, /cluster\.secrets\.yaml \(mode 0600\)/);
		const secretsPath = join(directory, 'cluster.secrets.yaml');
		assert.equal(statSync(secretsPath).mode & 0o777, 0o600);
		const everything = filesUnder(join(directory, 'bundle'))
			.map((file) => readFileSync(join(directory, 'bundle', file), 'utf8'))
			.join('\n');
		const values = secretValues(secretsPath);
		assert.ok(values.length >= 4, 'the secrets file holds secrets');
		for (const value of values) {
			assert.ok(!everything.includes(value), `a secret value leaked into the bundle: ${value.slice(0, 12)}…`);
		}

		const readme = readFileSync(join(directory, 'bundle/README.md'), 'utf8');
		assert.match(readme, /## Secrets left out/);
		assert.match(readme, /hosts\/cp1\/etc\/kubeha\/kubeadm-init\.yaml/);
	});

	test('with --include-secrets the bundle is complete and readable by its owner alone', () => {
		const directory = workspace();
		const result = kubeha(['export', '-o', 'bundle', '--include-secrets', '--tar', 'bundle.tar.gz'], {cwd: directory});
		assert.equal(result.status, 0, result.stderr);
		const bundle = join(directory, 'bundle');
		assert.equal(statSync(bundle).mode & 0o777, 0o700);
		for (const file of filesUnder(bundle)) {
			assert.equal(statSync(join(bundle, file)).mode & 0o077, 0, `${file} is readable by others`);
		}

		assert.equal(statSync(join(directory, 'bundle.tar.gz')).mode & 0o777, 0o600);
		const keepalived = readFileSync(join(bundle, 'hosts/cp1/etc/keepalived/keepalived.conf'), 'utf8');
		const secrets = parse(readFileSync(join(directory, 'cluster.secrets.yaml'), 'utf8')) as {vrrpAuthPass: string};
		assert.ok(keepalived.includes(secrets.vrrpAuthPass));
		assert.ok(existsSync(join(bundle, 'cluster.secrets.yaml')));
	});

	test('the same spec and secrets give byte-identical bundles, tarball included', () => {
		const directory = workspace();
		for (const name of ['one', 'two']) {
			const result = kubeha(['export', '-o', name, '--tar', `${name}.tar.gz`], {cwd: directory});
			assert.equal(result.status, 0, result.stderr);
		}

		const one = filesUnder(join(directory, 'one'));
		assert.deepEqual(filesUnder(join(directory, 'two')), one);
		for (const file of one) {
			assert.ok(
				readFileSync(join(directory, 'one', file)).equals(readFileSync(join(directory, 'two', file))),
				`${file} differs`,
			);
		}

		assert.ok(readFileSync(join(directory, 'one.tar.gz')).equals(readFileSync(join(directory, 'two.tar.gz'))));
		const listing = execFileSync('tar', ['-tzf', 'one.tar.gz'], {cwd: directory, encoding: 'utf8'}).trim().split('\n');
		assert.deepEqual([...listing].sort(), one);
	});

	test('a second export keeps the first as <dir>.previous', () => {
		const directory = workspace();
		assert.equal(kubeha(['export', '-o', 'bundle'], {cwd: directory}).status, 0);
		writeFileSync(join(directory, 'bundle', 'marker'), 'first');
		assert.equal(kubeha(['export', '-o', 'bundle'], {cwd: directory}).status, 0);
		assert.ok(existsSync(join(directory, 'bundle.previous', 'marker')));
		assert.ok(!existsSync(join(directory, 'bundle', 'marker')));
	});

	test('refuses to replace a directory that is not a bundle', () => {
		const directory = workspace();
		mkdirSync(join(directory, 'precious'));
		writeFileSync(join(directory, 'precious', 'notes.txt'), 'mine');
		const result = kubeha(['export', '-o', 'precious'], {cwd: directory});
		assert.equal(result.status, 2);
		assert.match(result.stderr, /precious exists and is not a kubeha bundle/);
		assert.equal(readFileSync(join(directory, 'precious', 'notes.txt'), 'utf8'), 'mine');
	});

	test('a bundle directory that cannot be written is a clear error, not a stack trace', () => {
		const directory = workspace();
		writeFileSync(join(directory, 'blocker'), '');
		const result = kubeha(['export', '-o', 'blocker/bundle'], {cwd: directory});
		assert.equal(result.status, 2);
		assert.match(result.stderr, /kubeha: cannot .*blocker/);
		assert.doesNotMatch(result.stderr, /\n\s+at /);
	});

	test('an invalid spec stops the export with its findings', () => {
		const directory = workspace();
		writeFileSync(
			join(directory, 'cluster.yaml'),
			readFileSync(join(directory, 'cluster.yaml'), 'utf8').replace('port: 8443', 'port: 6443'),
		);
		const result = kubeha(['export', '-o', 'bundle'], {cwd: directory});
		assert.equal(result.status, 1);
		assert.ok(!existsSync(join(directory, 'bundle')));
	});
});
