import assert from 'node:assert/strict';
import {type ChildProcess, spawn, spawnSync} from 'node:child_process';
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, describe, it} from 'node:test';
import {parseAllDocuments, stringify} from 'yaml';
import {kubeadmInitPath} from '../../source/render/kubeadm.ts';
import {etcdEndpoints} from '../../steps/etcd-endpoints.ts';
import {
	apiserverEtcdServersTask,
	etcdEndpoints as endpointsOf,
	etcdServersOfManifest,
	externalEtcdEndpoints,
	kubeadmConfigEndpointsTask,
	previousManifestPath,
	setEtcdServers,
} from '../../steps/scripts/etcd-endpoints.ts';
import {stateFiles} from '../../steps/scripts/facts.ts';
import {changedFunction, checksScript, parseMissing, type Task, tasksScript} from '../../steps/scripts/tasks.ts';
import {planStep} from '../../steps/support/plan-step.ts';
import {dryLinesOf, stepHarness} from './step-harness.ts';

const bash = (script: string, env: Record<string, string> = {}) =>
	spawnSync('bash', ['-c', `set -euo pipefail\n${script}`], {encoding: 'utf8', env: {...process.env, ...env}});
const awk = (program: string, input: string, env: Record<string, string> = {}) =>
	spawnSync('awk', [program], {input, encoding: 'utf8', env: {...process.env, ...env}}).stdout;

/** A kube-apiserver manifest as kubeadm writes it (sigs.k8s.io/yaml: list items at their key's indentation). */
const kubeadmManifest = (servers: string) => `apiVersion: v1
kind: Pod
metadata:
  annotations:
    kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint: 10.20.0.21:6443
  labels:
    component: kube-apiserver
    tier: control-plane
  name: kube-apiserver
  namespace: kube-system
spec:
  containers:
  - command:
    - kube-apiserver
    - --advertise-address=10.20.0.21
    - --etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt
    - --etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt
    - --etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key
    - --etcd-servers=${servers}
    - --secure-port=6443
    image: registry.k8s.io/kube-apiserver:v1.37.1
    name: kube-apiserver
status: {}
`;

/** A ClusterConfiguration as kubeadm stores it in kubeadm-config (keys sorted, lists at their key's indentation). */
const kubeadmClusterConfiguration = (endpoints: readonly string[]) => `apiServer:
  certSANs:
  - 10.20.0.10
  - cp1
apiVersion: kubeadm.k8s.io/v1beta4
caCertificateValidityPeriod: 87600h0m0s
certificatesDir: /etc/kubernetes/pki
clusterName: core
controlPlaneEndpoint: 10.20.0.10:6443
etcd:
  external:
    caFile: /etc/kubernetes/pki/etcd/ca.crt
    certFile: /etc/kubernetes/pki/apiserver-etcd-client.crt
    endpoints:
${endpoints.map((endpoint) => `    - ${endpoint}\n`).join('')}    keyFile: /etc/kubernetes/pki/apiserver-etcd-client.key
kind: ClusterConfiguration
kubernetesVersion: v1.37.1
networking:
  dnsDomain: cluster.local
`;

/** What the manifests named before a fourth member, etcd4, left the cluster. */
const oldServers = 'https://10.20.0.31:2379,https://10.20.0.32:2379,https://10.20.0.33:2379,https://10.20.0.34:2379';

describe('the external etcd endpoints', () => {
	const {spec, view} = stepHarness({example: 'external-etcd'});
	const servers = endpointsOf(spec).join(',');

	it('are the ones kubeadm init is given', () => {
		const init = view('cp1').files.find((file) => file.path === kubeadmInitPath);
		const documents = parseAllDocuments(init?.content ?? '').map((document) => document.toJS());
		const cluster = documents.find((document) => document.kind === 'ClusterConfiguration');
		assert.deepEqual(cluster?.etcd.external.endpoints, endpointsOf(spec));
		assert.deepEqual(endpointsOf(spec), [
			'https://10.20.0.31:2379',
			'https://10.20.0.32:2379',
			'https://10.20.0.33:2379',
		]);
	});

	it("are read from a ClusterConfiguration as kubeadm writes it, or with deeper list items (the lab's)", () => {
		const two = ['https://10.20.0.31:2379', 'https://10.20.0.32:2379'];
		assert.equal(awk(externalEtcdEndpoints, kubeadmClusterConfiguration(two)), `${two.join(',')}\n`);
		const deeper = stringify({
			apiServer: {certSANs: ['cp1', 'https://not-an-endpoint']},
			etcd: {external: {endpoints: two, caFile: '/ca.crt'}},
			networking: {dnsDomain: 'cluster.local'},
		});
		assert.match(deeper, /\n {6}- https:\/\/10\.20\.0\.31:2379\n/, 'the yaml package indents list items');
		assert.equal(awk(externalEtcdEndpoints, deeper), `${two.join(',')}\n`);
		assert.equal(awk(externalEtcdEndpoints, `etcd:\n  local:\n    dataDir: /var/lib/etcd\n`), '\n', 'stacked: none');
		assert.equal(
			awk(
				externalEtcdEndpoints,
				`etcd:\n  external:\n    endpoints:\n    - "https://a:2379"\n    # note\n\n    - 'https://b:2379'\n`,
			),
			'https://a:2379,https://b:2379\n',
		);
	});

	it("are read from and written into a manifest's --etcd-servers, every other line as it was", () => {
		const before = kubeadmManifest(oldServers);
		assert.equal(awk(etcdServersOfManifest, before), `${oldServers}\n`);
		assert.equal(awk(etcdServersOfManifest, 'spec: {}\n'), '');
		const after = awk(setEtcdServers, before, {KUBEHA_ETCD_SERVERS: servers});
		assert.equal(after, kubeadmManifest(servers));
	});

	it('are what the step makes sure of, on the control planes in order, the ConfigMap first', () => {
		const {run} = stepHarness({example: 'external-etcd'});
		const step = planStep(etcdEndpoints, run);
		assert.deepEqual(
			step.hosts(spec).map((node) => node.name),
			['cp1', 'cp2', 'cp3'],
		);
		assert.equal(step.parallel, false);
		assert.deepEqual(step.dryRun(view('cp1')), [
			`the kubeadm-config ConfigMap (for later joins and upgrades) lists etcd ${servers}`,
			`kube-apiserver on cp1, where kubeadm runs it, uses etcd ${servers}`,
		]);
		assert.deepEqual(step.dryRun(view('cp2')), [`kube-apiserver on cp2, where kubeadm runs it, uses etcd ${servers}`]);
		const stacked = stepHarness();
		assert.deepEqual(planStep(etcdEndpoints, stacked.run).hosts(stacked.spec), []);
	});

	it('are said in a dry run', async () => {
		const {run, runThrough} = stepHarness({example: 'external-etcd'});
		const {events} = await runThrough([planStep(etcdEndpoints, run)], {dryRun: true});
		assert.deepEqual(dryLinesOf(events, 'cp3'), [`kube-apiserver on cp3, where kubeadm runs it, uses etcd ${servers}`]);
	});
});

/**
The host's files in a directory of the test's, fake `pgrep`, `kubectl` and `kubeadm` on the PATH (each logging
its arguments), and a process standing in for kube-apiserver: what the task scripts meet on a control plane.
*/
function controlPlaneDouble() {
	const root = mkdtempSync(join(tmpdir(), 'kubeha-etcd-endpoints-'));
	const bin = join(root, 'bin');
	mkdirSync(bin);
	mkdirSync(join(root, 'manifests'));
	const paths = {
		manifest: join(root, 'manifests', 'kube-apiserver.yaml'),
		previous: join(root, 'manifests', '.kube-apiserver.yaml.kubeha-previous'),
		pids: join(root, 'pids'),
		clusterConfiguration: join(root, 'cluster-configuration.yaml'),
		calls: join(root, 'calls.log'),
	};
	const fake = (name: string, body: string) => {
		writeFileSync(join(bin, name), `#!/bin/bash\necho "${name} $*" >> ${paths.calls}\n${body}\n`);
		chmodSync(join(bin, name), 0o755);
	};
	fake('pgrep', `[ "$*" = '-x kube-apiserver' ] && cat ${paths.pids}`);
	fake(
		'kubectl',
		`case "$*" in *'get --raw /healthz'*) echo ok ;; *'get configmap kubeadm-config'*) cat ${paths.clusterConfiguration} ;; *) exit 1 ;; esac`,
	);
	fake('kubeadm', 'exit 0');
	const processes: ChildProcess[] = [];
	return {
		paths,
		/** Runs kube-apiserver "processes" with these --etcd-servers values: what pgrep finds. */
		running(...values: string[]) {
			const started = values.map((value) =>
				spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)', '--', `--etcd-servers=${value}`], {
					stdio: 'ignore',
				}),
			);
			processes.push(...started);
			writeFileSync(paths.pids, started.map((child) => `${child.pid}\n`).join(''));
		},
		/** Runs a task script with the host's paths moved into the test's directory. */
		run: (script: string) =>
			bash(
				script
					.replaceAll(stateFiles.apiServerManifest, paths.manifest)
					.replaceAll(previousManifestPath, paths.previous),
				{PATH: `${bin}:${process.env['PATH']}`},
			),
		calls: () => (existsSync(paths.calls) ? readFileSync(paths.calls, 'utf8') : ''),
		stop: () => {
			for (const child of processes) child.kill();
		},
	};
}

/** The tasks as a step runs them, and as its in-place check asks. */
const runTasks = (tasks: readonly Task[]) => `${changedFunction}\n${tasksScript(tasks)}`;

describe("a control plane's kube-apiserver and etcd", () => {
	const {spec, node} = stepHarness({example: 'external-etcd'});
	const servers = endpointsOf(spec).join(',');
	const task = apiserverEtcdServersTask(spec, node('cp2'));
	const host = controlPlaneDouble();
	after(() => host.stop());

	it('is left alone where kubeadm has not written the manifest yet', () => {
		const result = host.run(checksScript([task]));
		assert.equal(result.status, 0, result.stderr);
		assert.deepEqual(parseMissing(result.stdout), []);
	});

	it('gets the new members in its manifest, the old one kept aside, and waits for the new process', () => {
		writeFileSync(host.paths.manifest, kubeadmManifest(oldServers), {mode: 0o600});
		host.running(oldServers);
		assert.deepEqual(parseMissing(host.run(checksScript([task])).stdout), [task.what]);
		// The kubelet's part, done before the task runs: the new process is the only one when the task looks.
		host.running(servers);
		const result = host.run(runTasks([task]));
		assert.equal(result.status, 0, result.stderr);
		assert.match(result.stdout, /kubeha: wrote .*kube-apiserver\.yaml with --etcd-servers=https:\/\/10\.20\.0\.31/);
		assert.equal(readFileSync(host.paths.manifest, 'utf8'), kubeadmManifest(servers));
		assert.equal(statSync(host.paths.manifest).mode & 0o777, 0o600, "the manifest keeps kubeadm's mode");
		assert.equal(readFileSync(host.paths.previous, 'utf8'), kubeadmManifest(oldServers));
		assert.match(host.calls(), /kubectl .*--server https:\/\/10\.20\.0\.22:6443 .*get --raw \/healthz/);
	});

	it('is in place once the manifest and every process name them', () => {
		const result = host.run(runTasks([task]));
		assert.equal(result.stdout, `kubeha: in place: ${task.what}\n`);
		host.running(servers, oldServers);
		assert.deepEqual(parseMissing(host.run(checksScript([task])).stdout), [task.what], 'an old process still runs');
	});

	it('fails, saying what to check, when the API server does not come back with them', () => {
		writeFileSync(host.paths.manifest, kubeadmManifest(oldServers), {mode: 0o600});
		host.running(oldServers);
		// One try instead of five minutes' worth.
		const result = host.run(runTasks([task]).replace('$(seq 150)', '$(seq 1)'));
		assert.equal(result.status, 1);
		assert.match(
			result.stderr,
			/kube-apiserver on cp2 does not run with --etcd-servers=.* and answer https:\/\/10\.20\.0\.22:6443\/healthz 5 minutes after/,
		);
		assert.match(result.stderr, /crictl ps -a --name kube-apiserver/);
		assert.match(result.stderr, /to go back, copy .*kube-apiserver\.yaml\.kubeha-previous over/);
	});

	it('refuses a manifest without the flag kubeadm writes', () => {
		writeFileSync(host.paths.manifest, 'apiVersion: v1\nkind: Pod\n', {mode: 0o600});
		const result = host.run(runTasks([task]));
		assert.equal(result.status, 1);
		assert.match(result.stderr, /has no `- --etcd-servers=` item in the kube-apiserver command/);
		assert.equal(readFileSync(host.paths.manifest, 'utf8'), 'apiVersion: v1\nkind: Pod\n');
	});
});

describe('the kubeadm-config ConfigMap and etcd', () => {
	const {spec, node} = stepHarness({example: 'external-etcd'});
	const task = kubeadmConfigEndpointsTask(spec, node('cp1'));
	const host = controlPlaneDouble();

	it("is uploaded again by kubeadm's own phase when it lists other members", () => {
		writeFileSync(host.paths.clusterConfiguration, kubeadmClusterConfiguration(['https://10.20.0.31:2379']));
		const result = host.run(runTasks([task]));
		assert.equal(result.status, 0, result.stderr);
		assert.match(
			host.calls(),
			/kubectl --kubeconfig \/etc\/kubernetes\/admin\.conf --server https:\/\/10\.20\.0\.21:6443 .*-n kube-system get configmap kubeadm-config -o jsonpath=\{\.data\.ClusterConfiguration\}\n/,
		);
		assert.match(
			host.calls(),
			/^kubeadm init phase upload-config kubeadm --config \/etc\/kubeha\/kubeadm-init\.yaml$/m,
		);
	});

	it('is in place when it lists the spec members', () => {
		writeFileSync(host.paths.clusterConfiguration, kubeadmClusterConfiguration(endpointsOf(spec)));
		assert.deepEqual(parseMissing(host.run(checksScript([task])).stdout), []);
	});

	it('is not in place when the API does not answer', () => {
		rmSync(host.paths.clusterConfiguration);
		assert.deepEqual(parseMissing(host.run(checksScript([task])).stdout), [task.what]);
	});
});
