import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {previousVersionPath} from '../../source/runner/write-file.ts';

describe('previousVersionPath', () => {
	it('keeps the replaced version beside the file', () => {
		assert.equal(previousVersionPath('/etc/haproxy/haproxy.cfg'), '/etc/haproxy/haproxy.cfg.kubeha-previous');
		assert.equal(previousVersionPath('/etc/etcd/etcd.env'), '/etc/etcd/etcd.env.kubeha-previous');
	});

	it('hides it where every file is read: the kubelet would run a second copy of a manifest, apt warns of a list', () => {
		assert.equal(
			previousVersionPath('/etc/kubernetes/manifests/haproxy.yaml'),
			'/etc/kubernetes/manifests/.haproxy.yaml.kubeha-previous',
		);
		assert.equal(
			previousVersionPath('/etc/apt/sources.list.d/kubernetes.list'),
			'/etc/apt/sources.list.d/.kubernetes.list.kubeha-previous',
		);
		// Only the directory itself is read whole, not what is below it.
		assert.equal(
			previousVersionPath('/etc/kubernetes/manifests/sub/x.yaml'),
			'/etc/kubernetes/manifests/sub/x.yaml.kubeha-previous',
		);
	});
});
