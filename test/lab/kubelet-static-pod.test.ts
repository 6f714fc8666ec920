// The kube-apiserver stand-in's kubelet part: the flags a static pod's process runs with, and those of the new
// process when the manifest changes.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {stringify} from 'yaml';
import {clusterConfiguration} from './stand-ins/lib/kubeadm-config.ts';
import {apiserverFlags, apiserverManifestFlags} from './stand-ins/lib/kubeadm-control-plane.ts';
import {podCommandFlags, restartFlags} from './stand-ins/lib/kubelet-static-pod.ts';
import {NotModelled} from './stand-ins/lib/not-modelled.ts';

const endpoint = {advertiseAddress: '198.18.0.11', bindPort: 6443};
const external = (endpoints: string[]) =>
	clusterConfiguration(
		{
			controlPlaneEndpoint: '198.18.0.100:8443',
			etcd: {external: {endpoints, caFile: '/etc/kubernetes/pki/etcd/ca.crt'}},
		},
		endpoint,
	);
const node = (endpoints: string[]) => ({
	cluster: external(endpoints),
	registration: {name: 'cp1', criSocket: '', taints: undefined, kubeletExtraArgs: [], ignorePreflightErrors: []},
	endpoint,
});
const threeMembers = ['https://198.18.0.13:2379', 'https://198.18.0.14:2379', 'https://198.18.0.15:2379'];

/** A kube-apiserver manifest with this command, laid out as kubeadm writes one. */
const manifest = (command: unknown) =>
	stringify({apiVersion: 'v1', kind: 'Pod', metadata: {name: 'kube-apiserver'}, spec: {containers: [{command}]}});

describe('the kubelet part of the kube-apiserver stand-in', () => {
	test('the process runs with its manifest flags, and the etcd members among them', () => {
		const flags = apiserverFlags(node(threeMembers));
		const fromManifest = apiserverManifestFlags(node(threeMembers));
		assert.deepEqual({...flags, ...fromManifest}, flags, 'every manifest flag, with its value');
		assert.equal(flags['etcd-servers'], threeMembers.join(','));
		assert.equal(flags['etcd-cafile'], '/etc/kubernetes/pki/etcd/ca.crt');
	});

	test("a manifest's command gives its --name=value flags", () => {
		const flags = podCommandFlags(
			manifest(['kube-apiserver', '--etcd-servers=https://a:2379,https://b:2379', '--secure-port=6443', '--empty=']),
		);
		assert.deepEqual(flags, {'etcd-servers': 'https://a:2379,https://b:2379', 'secure-port': '6443', empty: ''});
	});

	test("a changed manifest: its flags replace the process's, the stand-in's own stay, it does not join again", () => {
		const running = apiserverFlags(node(threeMembers), '198.18.0.100:8443');
		const twoMembers = threeMembers.slice(0, 2);
		const next = restartFlags(running, manifest(['kube-apiserver', `--etcd-servers=${twoMembers.join(',')}`]));
		assert.equal(next['etcd-servers'], twoMembers.join(','));
		assert.equal(next['lab-state-file'], running['lab-state-file']);
		assert.equal(next['bind-address'], '198.18.0.11');
		assert.equal(next['lab-sync-from'], undefined);
		const {'etcd-servers': _before, 'lab-sync-from': _joined, ...unchanged} = running;
		const {'etcd-servers': _after, ...rest} = next;
		assert.deepEqual(rest, unchanged);
	});

	test('a command it cannot read is not modelled, loudly', () => {
		assert.throws(() => podCommandFlags(manifest(['kube-apiserver', '--v', '2'])), NotModelled);
		assert.throws(() => podCommandFlags('apiVersion: v1\nkind: Pod\n'), NotModelled);
	});
});
