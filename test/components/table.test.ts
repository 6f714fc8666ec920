import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {artifactSources, artifactUrl, releaseOf} from '../../source/components/artifacts.ts';
import {architectures, componentKinds, componentsTable} from '../../source/components/table.ts';
import {newestKnownMinor, oldestSupportedMinor} from '../../source/spec/rules/version.ts';
import {specOf} from '../helpers/spec.ts';

const supportedMinors = Array.from(
	{length: newestKnownMinor - oldestSupportedMinor + 1},
	(_, offset) => `1.${oldestSupportedMinor + offset}`,
);

describe('the components table', () => {
	it('has a row for every minor the version rule accepts, and none other', () => {
		assert.deepEqual(Object.keys(componentsTable).sort(), supportedMinors);
	});

	it('pins every component with a sha256 for each architecture', () => {
		for (const [minor, row] of Object.entries(componentsTable)) {
			for (const kind of componentKinds) {
				assert.match(row[kind].version, /^\d+\.\d+\.\d+$/, `${minor} ${kind}`);
				for (const arch of architectures) {
					assert.match(row[kind].sha256[arch] ?? '', /^[0-9a-f]{64}$/, `${minor} ${kind} ${arch}`);
				}
			}
			assert.match(row.pauseImage, /^registry\.k8s\.io\/pause:\d+\.\d+(\.\d+)?$/);
		}
	});

	it('gives Kubernetes 1.36 and later containerd 2', () => {
		for (const [minor, row] of Object.entries(componentsTable)) {
			if (Number(minor.split('.')[1]) >= 36) assert.ok(Number(row.containerd.version.split('.')[0]) >= 2, minor);
		}
	});

	it('gives external etcd members etcd 3.6', () => {
		for (const row of Object.values(componentsTable)) assert.match(row.etcd.version, /^3\.6\./);
	});
});

describe('artifact URLs', () => {
	it("are the projects' GitHub release files", () => {
		const spec = specOf(() => undefined);
		assert.equal(
			artifactUrl(spec, 'containerd', '2.3.4', 'amd64'),
			'https://github.com/containerd/containerd/releases/download/v2.3.4/containerd-2.3.4-linux-amd64.tar.gz',
		);
		assert.equal(
			artifactUrl(spec, 'runc', '1.4.3', 'arm64'),
			'https://github.com/opencontainers/runc/releases/download/v1.4.3/runc.arm64',
		);
		assert.equal(
			artifactUrl(spec, 'cni', '1.9.1', 'amd64'),
			'https://github.com/containernetworking/plugins/releases/download/v1.9.1/cni-plugins-linux-amd64-v1.9.1.tgz',
		);
		assert.equal(
			artifactUrl(spec, 'crictl', '1.36.0', 'amd64'),
			'https://github.com/kubernetes-sigs/cri-tools/releases/download/v1.36.0/crictl-v1.36.0-linux-amd64.tar.gz',
		);
		assert.equal(
			artifactUrl(spec, 'etcd', '3.6.14', 'arm64'),
			'https://github.com/etcd-io/etcd/releases/download/v3.6.14/etcd-v3.6.14-linux-arm64.tar.gz',
		);
	});

	it('take the mirror as the base, with or without a trailing slash', () => {
		const spec = specOf((draft) => {
			draft.components = {mirror: {containerd: 'https://mirror.example/containerd/'}};
		});
		assert.equal(
			artifactUrl(spec, 'containerd', '2.3.4', 'amd64'),
			'https://mirror.example/containerd/v2.3.4/containerd-2.3.4-linux-amd64.tar.gz',
		);
		assert.equal(artifactUrl(spec, 'runc', '1.4.3', 'amd64'), `${artifactSources.runc.defaultBase}/v1.4.3/runc.amd64`);
	});

	it("install the spec's pinned release in place of the table's", () => {
		const release = {version: '2.3.5', sha256: {amd64: 'a'.repeat(64)}};
		const spec = specOf((draft) => {
			draft.components = {releases: {containerd: release}};
		});
		assert.deepEqual(releaseOf(spec, 'containerd'), release);
		assert.equal(releaseOf(spec, 'runc'), componentsTable['1.37']?.runc);
	});
});
