import assert from 'node:assert/strict';
import {readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {parse} from 'yaml';
import {cni} from '../../steps/cni.ts';
import {etcd} from '../../steps/etcd.ts';
import {etcdHealth} from '../../steps/etcd-health.ts';
import {etcdPackages} from '../../steps/etcd-packages.ts';
import {gatherFacts} from '../../steps/gather-facts.ts';
import {bundleParts, installSteps} from '../../steps/index.ts';
import {joinControlPlanes} from '../../steps/join-control-planes.ts';
import {joinCredentials} from '../../steps/join-credentials.ts';
import {joinWorkers} from '../../steps/join-workers.ts';
import {kubeVip} from '../../steps/kube-vip.ts';
import {kubeadmInit} from '../../steps/kubeadm-init.ts';
import {kubeconfig} from '../../steps/kubeconfig.ts';
import {kubeVipManifestPath, loadBalancer} from '../../steps/load-balancer.ts';
import {prerequisites} from '../../steps/prerequisites.ts';
import type {OsFamily} from '../../steps/scripts/os.ts';
import {type PlanStepDefinition, planStep} from '../../steps/support/plan-step.ts';
import {verify} from '../../steps/verify.ts';
import type {FakeCall} from '../helpers/fake-shell.ts';
import type {ExampleName} from '../helpers/spec.ts';
import {
	adminConfOf,
	dryLinesOf,
	everythingInPlace,
	factsOutput,
	linesOf,
	nothingInPlace,
	outcomes,
	stepHarness,
	testNow,
} from './step-harness.ts';

/** Runs one plan step on a shell where nothing is in place yet; resolves to the calls per host. */
async function firstRun(
	definition: PlanStepDefinition,
	{example, family}: {example?: ExampleName; family?: OsFamily} = {},
) {
	const harness = stepHarness({...(example ? {example} : {}), ...(family ? {family} : {})});
	nothingInPlace(harness.shell);
	const result = await harness.runThrough([planStep(definition, harness.run)]);
	assert.equal(result.summary.status, 'done', JSON.stringify(result.summary.failures));
	return {...harness, ...result};
}

/** The scripts of the calls on a host that do tasks (not checks, validations or file writes), joined. */
const taskScripts = (calls: readonly FakeCall[]) =>
	calls
		.filter((call) => call.script.includes('kubeha: in place: '))
		.map((call) => call.script)
		.join('\n');
/** The paths written on a host, in order. */
const written = (calls: readonly FakeCall[]) =>
	calls
		.flatMap((call) => /^kubeha_path=(\S+)$/m.exec(call.script)?.slice(1) ?? [])
		.map((path) => path.replaceAll("'", ''));

describe('the install order', () => {
	it('lists the steps in order, and apply.sh carries those that act on a node', () => {
		const {run} = stepHarness();
		assert.deepEqual(
			installSteps(run).map((step) => step.id),
			[
				'gather-facts',
				'preflight',
				'download-components',
				'prerequisites',
				'load-balancer',
				'etcd-packages',
				'etcd',
				'etcd-health',
				'kubeadm-init',
				'etcd-endpoints',
				'kubeconfig',
				'cni',
				'join-credentials',
				'join-control-planes',
				'kube-vip',
				'join-workers',
				'verify',
			],
		);
		assert.deepEqual(
			bundleParts.map((part) => part.id),
			installSteps(run)
				.map((step) => step.id)
				.filter((id) => !['gather-facts', 'preflight', 'kubeconfig'].includes(id)),
		);
	});
});

describe('a plan step', () => {
	it('skips a host where everything is in place, saying what', async () => {
		const {shell, run, runThrough} = stepHarness();
		everythingInPlace(shell);
		const {events} = await runThrough([planStep(kubeadmInit, run)]);
		const outcome = outcomes(events)['cp1'];
		assert.equal(outcome?.status, 'skipped');
		assert.match(
			outcome?.status === 'skipped' ? outcome.reason : '',
			/^already in place: \/etc\/kubeha\/kubeadm-init\.yaml written; .*; cluster prod initialised on cp1 \(kubeadm init\)$/,
		);
		assert.equal(shell.calls.length, 1, 'one call: the checks');
	});

	it('says what is missing, then writes the files and does the tasks', async () => {
		const {shell, events} = await firstRun(kubeadmInit);
		assert.match(linesOf(events, 'cp1')[0] ?? '', /^to do: something$/);
		const calls = shell.callsOn('cp1');
		assert.deepEqual(written(calls), [
			'/etc/kubeha/kubeadm-init.yaml',
			'/etc/kubernetes/pki/ca.crt',
			'/etc/kubernetes/pki/ca.key',
		]);
		assert.match(taskScripts(calls), /^\tkubeadm init --config \/etc\/kubeha\/kubeadm-init\.yaml --upload-certs$/m);
		assert.equal(
			calls.at(-2)?.options.env?.['KUBEHA_CHANGED'],
			'/etc/kubeha/kubeadm-init.yaml /etc/kubernetes/pki/ca.crt /etc/kubernetes/pki/ca.key',
		);
		// Last, once the tasks are done: the writes' pending marks cleared, so a later run does not redo them.
		assert.equal(
			calls.at(-1)?.script,
			'rm -f -- /var/lib/kubeha/pending/etc/kubeha/kubeadm-init.yaml /var/lib/kubeha/pending/etc/kubernetes/pki/ca.crt /var/lib/kubeha/pending/etc/kubernetes/pki/ca.key',
		);
	});

	it('depends on its plans, so that an unrelated edit does not redo it on resume', () => {
		const before = stepHarness();
		const after = stepHarness({
			edit: (draft) => draft.nodes.push({name: 'worker3', address: '192.168.1.103', roles: ['worker']}),
		});
		const step = (harness: typeof before) => planStep(kubeadmInit, harness.run);
		const dependsOn = (harness: typeof before) => JSON.stringify(step(harness).dependsOn?.(harness.view('cp1')));
		assert.equal(dependsOn(before), dependsOn(after));
		const initAfterEdit = stepHarness({edit: (draft) => Object.assign(draft.kubernetes, {podSubnet: '10.32.0.0/16'})});
		assert.notEqual(dependsOn(before), dependsOn(initAfterEdit));
	});
});

describe('prerequisites', () => {
	for (const [family, expected] of [
		[
			'apt',
			[
				/^\tcurl -fsSL --retry 3 https:\/\/pkgs\.k8s\.io\/core:\/stable:\/v1\.37\/deb\/Release\.key \| gpg --dearmor/m,
				/^\t\tinstall -D -m 0755 "\$kubeha_unpacked"\/bin\/containerd \/usr\/local\/bin\/containerd$|^\tinstall -D -m 0755 "\$kubeha_unpacked"\/bin\/containerd \/usr\/local\/bin\/containerd$/m,
				/^\tDEBIAN_FRONTEND=noninteractive apt-get install -y \$'kubelet=1\.37\.1-\*' \$'kubeadm=1\.37\.1-\*' \$'kubectl=1\.37\.1-\*'$/m,
				/^\tapt-mark hold kubelet kubeadm kubectl$/m,
			],
		],
		[
			'dnf',
			[
				/^\tsetenforce 0|Enforcing \]; then setenforce 0; fi$/m,
				/\/var\/lib\/kubeha\/components\/containerd/,
				/^\tdnf install -y kubelet-1\.37\.1 kubeadm-1\.37\.1 kubectl-1\.37\.1 --disableexcludes=kubernetes$/m,
			],
		],
	] as const) {
		it(`installs with ${family}: the repository, containerd, the packages of the spec's version`, async () => {
			const {shell} = await firstRun(prerequisites, {family});
			const tasks = taskScripts(shell.callsOn('worker1'));
			for (const pattern of expected) {
				assert.match(tasks, pattern);
			}

			assert.doesNotMatch(tasks, family === 'apt' ? /\bdnf\b/ : /apt-get/);
			const repository =
				family === 'apt' ? '/etc/apt/sources.list.d/kubernetes.list' : '/etc/yum.repos.d/kubernetes.repo';
			assert.deepEqual(written(shell.callsOn('worker1')), [
				'/etc/modules-load.d/kubeha.conf',
				'/etc/sysctl.d/99-kubeha.conf',
				'/etc/systemd/system/containerd.service',
				'/etc/crictl.yaml',
				repository,
			]);
			assert.match(tasks, /^\tif ! \{ \[ -d \/sys\/module\/br_netfilter \] .*; then modprobe br_netfilter; fi$/m);
			assert.match(tasks, /^\tswapoff -a$/m);
			assert.match(tasks, /^\tsystemctl restart containerd$/m);
		});
	}

	it('runs on every node with a kubelet, and describes both families in a dry run', async () => {
		const {spec, run, runThrough} = stepHarness({example: 'external-etcd'});
		const step = planStep(prerequisites, run);
		assert.deepEqual(
			step.hosts(spec).map((node) => node.name),
			['cp1', 'cp2', 'cp3', 'worker1', 'worker2'],
		);
		const {events} = await runThrough([step], {dryRun: true});
		const lines = dryLinesOf(events, 'cp1');
		assert.ok(lines.includes('write /etc/apt/sources.list.d/kubernetes.list (0644) (Debian and Ubuntu)'));
		assert.ok(lines.includes('write /etc/yum.repos.d/kubernetes.repo (0644) (RHEL family)'));
		assert.ok(lines.includes('kubelet, kubeadm and kubectl 1.37.1 installed'));
	});
});

describe('load-balancer', () => {
	it('checks each config before it replaces the old one, writes the restart drop-ins, then reloads haproxy and keepalived', async () => {
		const {shell} = await firstRun(loadBalancer);
		const calls = shell.callsOn('cp1');
		const order = calls.map((call) =>
			call.script.includes('kubeha_candidate=')
				? `check ${/(haproxy -c|keepalived -t)/.exec(call.script)?.[1]}`
				: (/^kubeha_path=(\S+)$/m.exec(call.script)?.[1] ??
					(call.script.includes('kubeha-missing')
						? 'checks'
						: call.script.startsWith('rm -f -- /var/lib/kubeha/pending/')
							? 'clear pending'
							: 'tasks')),
		);
		assert.deepEqual(order, [
			'checks',
			'tasks',
			'/etc/keepalived/check_apiserver.sh',
			'/etc/keepalived/check_haproxy.sh',
			'check haproxy -c',
			'/etc/haproxy/haproxy.cfg',
			'check keepalived -t',
			'/etc/keepalived/keepalived.conf',
			'/etc/systemd/system/keepalived.service.d/kubeha-restart.conf',
			'/etc/systemd/system/haproxy.service.d/kubeha-restart.conf',
			'tasks',
			'clear pending',
		]);
		const last = calls.at(-2);
		assert.match(
			last?.options.env?.['KUBEHA_CHANGED'] ?? '',
			/\/etc\/haproxy\/haproxy\.cfg .*\/etc\/keepalived\/keepalived\.conf/,
		);
		assert.match(
			last?.script ?? '',
			/systemctl daemon-reload[\s\S]*systemctl reload haproxy; else systemctl start haproxy; fi/,
			'systemd reads the drop-ins before haproxy and keepalived start',
		);
		assert.match(last?.script ?? '', /systemctl reload keepalived; else systemctl start keepalived; fi/);
		assert.match(last?.script ?? '', /the VIP 192\.168\.1\.94 up on ens192/, 'cp1 starts as MASTER');
		assert.doesNotMatch(taskScripts(shell.callsOn('cp2')), /the VIP .* up on/, 'a backup does not wait for the VIP');
		assert.equal(shell.peakConcurrency, 1, 'one node at a time');
	});

	it('on the RHEL family, makes /run/haproxy and lets SELinux allow haproxy', async () => {
		const {shell} = await firstRun(loadBalancer, {family: 'dnf'});
		assert.ok(written(shell.callsOn('cp2')).includes('/etc/tmpfiles.d/kubeha-haproxy.conf'));
		const tasks = taskScripts(shell.callsOn('cp2'));
		assert.match(tasks, /systemd-tmpfiles --create \/etc\/tmpfiles\.d\/kubeha-haproxy\.conf/);
		assert.match(tasks, /setsebool -P haproxy_connect_any 1/);
		assert.match(tasks, /dnf install -y keepalived haproxy curl socat/);
	});

	it('as static pods: the manifests, no host checks, a container restart on a changed config', async () => {
		const {shell} = await firstRun(loadBalancer, {example: 'five-control-planes-unicast'});
		const calls = shell.callsOn('cp4');
		assert.ok(written(calls).includes('/etc/kubernetes/manifests/haproxy.yaml'));
		assert.ok(!calls.some((call) => call.script.includes('kubeha_candidate=')));
		const tasks = taskScripts(calls);
		assert.match(
			tasks,
			/crictl --runtime-endpoint unix:\/\/\/run\/containerd\/containerd\.sock ps --name \$'\^haproxy\$' --state running/,
		);
		assert.doesNotMatch(tasks, /systemctl/);
	});

	it('with kube-vip: the manifest on the first control plane before init, written only when there is none', async () => {
		const {spec, run, shell} = await firstRun(loadBalancer, {example: 'kube-vip'});
		assert.deepEqual(
			planStep(loadBalancer, run)
				.hosts(spec)
				.map((node) => node.name),
			['cp1'],
		);
		const tasks = taskScripts(shell.callsOn('cp1'));
		assert.match(tasks, new RegExp(`^\\t\\[ -e ${kubeVipManifestPath} \\]$`, 'm'));
		assert.match(tasks, /path: \/etc\/kubernetes\/super-admin\.conf|base64 -d/);
	});

	it('has no host with an external load balancer', () => {
		const {spec, run} = stepHarness({example: 'external-load-balancer'});
		assert.deepEqual(planStep(loadBalancer, run).hosts(spec), []);
	});
});

describe('etcd', () => {
	it('installs etcd on every member at once', async () => {
		for (const [family, install] of [
			['apt', /apt-get install -y etcd-server etcd-client/],
			['dnf', /dnf install -y etcd$/m],
		] as const) {
			const {shell} = await firstRun(etcdPackages, {example: 'external-etcd', family});
			assert.match(taskScripts(shell.callsOn('etcd2')), install);
			assert.equal(shell.peakConcurrency, 3, 'the members install together');
		}
	});

	it('writes the member files and starts the members one at a time', async () => {
		const {shell} = await firstRun(etcd, {example: 'external-etcd'});
		const calls = shell.callsOn('etcd2');
		assert.ok(written(calls).includes('/etc/etcd/etcd.env'));
		assert.ok(written(calls).includes('/etc/kubernetes/pki/etcd/server.key'));
		const tasks = taskScripts(calls);
		assert.match(tasks, /systemctl daemon-reload/);
		// Without quorum elsewhere (a first install) a start returns at once; with it, a restart waits for health.
		assert.match(
			tasks,
			/\n\s*else\n\s*if systemctl is-active --quiet etcd; then systemctl restart --no-block etcd; else systemctl start --no-block etcd; fi\n\s*fi\nfi$/,
		);
		assert.match(
			tasks,
			/if \[ -d \/var\/lib\/etcd\/member \]; then\n.*\n\s*systemctl restart etcd\n(.*\n)*\s*for _ in \$\(seq 60\)/,
		);
		assert.equal(shell.peakConcurrency, 1, 'one member at a time');
	});

	it('waits, bounded, for each member to be healthy with the healthcheck client certificate', async () => {
		const {shell} = await firstRun(etcdHealth, {example: 'external-etcd'});
		const tasks = taskScripts(shell.callsOn('etcd1'));
		assert.match(
			tasks,
			/etcdctl --endpoints https:\/\/10\.20\.0\.31:2379 --cacert \/etc\/kubernetes\/pki\/etcd\/ca\.crt --cert \/etc\/kubernetes\/pki\/etcd\/healthcheck-client\.crt --key \/etc\/kubernetes\/pki\/etcd\/healthcheck-client\.key/,
		);
		assert.match(tasks, /for _ in \$\(seq 60\); do/);
	});

	it('has no host with stacked etcd', () => {
		const {spec, run} = stepHarness();
		assert.deepEqual(planStep(etcd, run).hosts(spec), []);
	});
});

describe('joins', () => {
	it('renews the token and the certificates from the init file while nodes have to join, every run', async () => {
		const {shell, run, view} = await firstRun(joinCredentials);
		const tasks = taskScripts(shell.callsOn('cp1'));
		assert.match(tasks, /^\tkubeadm token create --config \/etc\/kubeha\/kubeadm-init\.yaml >\/dev\/null$/m);
		assert.match(
			tasks,
			/^\tkubeadm init phase upload-certs --upload-certs --config \/etc\/kubeha\/kubeadm-init\.yaml >\/dev\/null$/m,
		);
		assert.match(tasks, /for kubeha_node in cp2 cp3 worker1 worker2; do/);
		assert.deepEqual(planStep(joinCredentials, run).dependsOn?.(view('cp1')), {run: 'test-run'});
	});

	it('joins the control planes one at a time and the workers together, skipping members', async () => {
		const controlPlanes = await firstRun(joinControlPlanes);
		assert.equal(controlPlanes.shell.peakConcurrency, 1);
		assert.deepEqual(
			controlPlanes.shell.calls.filter((call) => call.script.includes('kubeha: in place: ')).map((call) => call.host),
			['cp2', 'cp3'],
		);
		assert.match(
			taskScripts(controlPlanes.shell.callsOn('cp2')),
			/\[ -e \/etc\/kubernetes\/kubelet\.conf \] && \[ -e \/etc\/kubernetes\/manifests\/kube-apiserver\.yaml \]/,
		);
		const together = stepHarness();
		together.shell.on('kubeha: in place: ', {delayMs: 30});
		nothingInPlace(together.shell);
		await together.runThrough([planStep(joinWorkers, together.run)]);
		assert.equal(together.shell.peakConcurrency, 2);
		const oneJoined = stepHarness();
		oneJoined.shell.on('kubeha-missing: ', {stdout: ''}, 'worker2');
		nothingInPlace(oneJoined.shell);
		const {events} = await oneJoined.runThrough([planStep(joinWorkers, oneJoined.run)]);
		assert.equal(outcomes(events)['worker2']?.status, 'skipped');
		assert.equal(outcomes(events)['worker1']?.status, 'done');
	});

	it('writes the etcd client certificate before a control plane joins an external etcd', async () => {
		const {shell} = await firstRun(joinControlPlanes, {example: 'external-etcd'});
		assert.deepEqual(written(shell.callsOn('cp3')), [
			'/etc/kubeha/kubeadm-join.yaml',
			'/etc/kubernetes/pki/apiserver-etcd-client.crt',
			'/etc/kubernetes/pki/apiserver-etcd-client.key',
			'/etc/kubernetes/pki/etcd/ca.crt',
		]);
	});
});

describe('kube-vip', () => {
	it('gives the joined control planes their manifest and points the first one at admin.conf', async () => {
		const {shell} = await firstRun(kubeVip, {example: 'kube-vip'});
		const manifest = (host: string) => {
			const script =
				shell.callsOn(host).find((call) => call.script.includes(`kubeha_path=${kubeVipManifestPath}`))?.script ?? '';
			const base64 = /printf %s '([^']+)' \| base64 -d/.exec(script)?.[1] ?? '';
			return parse(Buffer.from(base64, 'base64').toString('utf8')) as {spec: {volumes: {hostPath: {path: string}}[]}};
		};

		assert.equal(manifest('cp1').spec.volumes[0]?.hostPath.path, '/etc/kubernetes/admin.conf');
		assert.equal(manifest('cp3').spec.volumes[0]?.hostPath.path, '/etc/kubernetes/admin.conf');
		assert.equal(shell.peakConcurrency, 1);
	});
});

describe('cni', () => {
	it('applies the pinned manifest, edited for the pod network, server-side through the local API server', async () => {
		const calico = taskScripts((await firstRun(cni)).shell.callsOn('cp1'));
		assert.match(
			calico,
			/curl -fsSL --retry 3 -o \/etc\/kubeha\/cni\/calico\.download\.yaml https:\/\/raw\.githubusercontent\.com\/projectcalico\/calico\/v3\.31\.3\/manifests\/calico\.yaml/,
		);
		assert.match(calico, /-e \$'s\|# {3}value: "192\\\\\.168\\\\\.0\\\\\.0\/16"\| {2}value: "10\.244\.0\.0\/16"\|'/);
		assert.match(
			calico,
			/--server https:\/\/192\.168\.1\.91:6443 --request-timeout 10s apply --server-side -f \/etc\/kubeha\/cni\/calico\.yaml/,
		);
		const flannel = taskScripts((await firstRun(cni, {example: 'kube-vip'})).shell.callsOn('cp1'));
		assert.match(flannel, /flannel-io\/flannel\/releases\/download\/v0\.27\.4\/kube-flannel\.yml/);
		const cilium = taskScripts((await firstRun(cni, {example: 'external-etcd'})).shell.callsOn('cp1'));
		assert.match(cilium, /cilium-cli\/releases\/download\/v0\.19\.0\/cilium-linux-\$kubeha_arch\.tar\.gz\.sha256sum/);
		assert.match(cilium, /cilium install --set ipam\.mode=kubernetes/);
	});

	it('has no host for cni: none', () => {
		const {spec, run} = stepHarness({edit: (draft) => Object.assign(draft.kubernetes, {cni: 'none'})});
		assert.deepEqual(planStep(cni, run).hosts(spec), []);
	});
});

describe('gather-facts', () => {
	it("stores each host's facts, probes the VIP from the VIP holders only, and says one line per host", async () => {
		const {spec, shell, run, node, runThrough} = stepHarness();
		for (const host of spec.nodes) {
			shell.on(
				'@@kubeha:',
				{stdout: factsOutput(spec, node(host.name), host.name === 'worker2' ? 'dnf' : 'apt')},
				host.name,
			);
		}

		run.facts.clear();
		const {events, summary} = await runThrough([gatherFacts(run)]);
		assert.equal(summary.status, 'done');
		assert.equal(run.facts.get('worker2')?.family, 'dnf');
		assert.equal(run.facts.get('cp1')?.clockSkewSeconds, 0);
		assert.ok(shell.callsOn('cp2')[0]?.script.includes('ping -c 1 -W 1 192.168.1.94'));
		assert.ok(!shell.callsOn('worker1')[0]?.script.includes('ping'));
		assert.deepEqual(linesOf(events, 'cp1'), [
			'Debian GNU/Linux 12 (bookworm) (apt), x86_64; clock 0 s; swap off; no Kubernetes, containerd or etcd yet',
		]);
		assert.equal(testNow / 1000, Math.round(testNow / 1000));
	});
});

describe('kubeconfig', () => {
	it("writes the operator's kubeconfig in the state directory, and no line of the run holds the key", async () => {
		const {shell, run, runThrough} = stepHarness();
		const adminConf = adminConfOf('VEhFLUtFWQ==');
		shell.on('cat /etc/kubernetes/admin.conf', {stdout: adminConf});
		const first = await runThrough([kubeconfig(run)]);
		const path = join(run.stateDirectory, 'admin.conf');
		assert.match(readFileSync(path, 'utf8'), /client-key-data: VEhFLUtFWQ==/);
		assert.equal(statSync(path).mode & 0o777, 0o600);
		assert.ok(!JSON.stringify(first.events).includes('VEhFLUtFWQ=='));
		assert.match(
			linesOf(first.events, 'cp1')[0] ?? '',
			/^wrote .*admin\.conf \(context prod, server https:\/\/192\.168\.1\.94:8443\): use it with `export KUBECONFIG=/,
		);
		const second = await runThrough([kubeconfig(run)]);
		assert.match(linesOf(second.events, 'cp1')[0] ?? '', /^unchanged /);
	});
});

describe('verify', () => {
	it('runs every check of each host and fails naming those that failed', async () => {
		const {shell, run, runThrough} = stepHarness();
		shell
			.on(
				'kubeha_failed=0',
				{
					exitCode: 1,
					stderr:
						'kubeha: FAILED: haproxy has every API server UP (show stat on its admin socket, waiting up to 30 s)\n',
				},
				'cp2',
			)
			.on('kubeha_failed=0', {stdout: 'kubeha: ok: …\n'});
		const step = verify(run);
		const {summary} = await runThrough([step]);
		assert.deepEqual(
			step.hosts(stepHarness().spec).map((node) => node.name),
			['cp1', 'cp2', 'cp3'],
		);
		assert.equal(summary.status, 'failed');
		assert.deepEqual(
			summary.failures.map((failure) => [failure.host, failure.error]),
			[
				[
					'cp2',
					'on cp2, haproxy has every API server UP (show stat on its admin socket, waiting up to 30 s): see the lines above.',
				],
			],
		);
		const cp1 = shell.callsOn('cp1')[0]?.script ?? '';
		// No request timeout on the watch kubectl wait keeps open.
		assert.match(cp1, /--server https:\/\/192\.168\.1\.91:6443 wait --for=condition=Ready node --all --timeout=300s/);
		assert.match(cp1, /curl -fsS --insecure --max-time 5 https:\/\/192\.168\.1\.94:8443\/healthz/);
		assert.match(cp1, /get --raw \/readyz\/etcd/);
		assert.match(cp1, /ip -o -4 address show dev ens192 \| grep -F \$' inet 192\.168\.1\.94\/'/);
		assert.match(shell.callsOn('cp3')[0]?.script ?? '', /^! ip -o -4 address show dev ens192/m);
	});
});
