import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {fires, silent} from '../../helpers/spec.ts';

describe('components-mirror', () => {
	it('fires on a value that is not an http(s) URL, naming the field and the value', () => {
		for (const value of ['mirror.example/containerd', 'ftp://mirror.example/containerd', 'https://m.example/?x=1']) {
			const finding = fires('components-mirror', (draft) => {
				draft.components = {mirror: {containerd: value}};
			});
			assert.equal(finding.path, 'components.mirror.containerd');
			assert.ok(finding.message.includes(value), finding.message);
			assert.match(finding.fix, /base URL/);
		}
	});

	it('accepts http and https bases', () => {
		silent('components-mirror', (draft) => {
			draft.components = {mirror: {containerd: 'http://198.18.0.1:8080/containerd', etcd: 'https://m.example/etcd/'}};
		});
	});
});

describe('components-release', () => {
	it('fires on a version with a "v" and on a digest that is not sha256 hex', () => {
		const version = fires('components-release', (draft) => {
			draft.components = {releases: {runc: {version: 'v1.4.3', sha256: {amd64: 'f'.repeat(64)}}}};
		});
		assert.equal(version.path, 'components.releases.runc.version');
		assert.match(version.fix, /"1\.4\.3"/);
		const digest = fires('components-release', (draft) => {
			draft.components = {releases: {runc: {version: '1.4.3', sha256: {arm64: 'sha256:abc'}}}};
		});
		assert.equal(digest.path, 'components.releases.runc.sha256.arm64');
	});

	it('fires on a release with no digest at all', () => {
		const finding = fires('components-release', (draft) => {
			draft.components = {releases: {crictl: {version: '1.36.1', sha256: {}}}};
		});
		assert.equal(finding.path, 'components.releases.crictl.sha256');
	});

	it('accepts a release pinned for one architecture', () => {
		silent('components-release', (draft) => {
			draft.components = {releases: {containerd: {version: '2.3.5', sha256: {amd64: 'a'.repeat(64)}}}};
		});
	});
});
