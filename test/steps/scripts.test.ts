import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {parse} from 'yaml';
import {sh} from '../../source/runner/shell.ts';
import {previousVersionPath, writeFileScript} from '../../source/runner/write-file.ts';
import {bundleParts} from '../../steps/index.ts';
import {systemdCgroupCheck, systemdCgroupFilter} from '../../steps/scripts/containerd.ts';
import {describeFacts, factsScript, parseFacts} from '../../steps/scripts/facts.ts';
import {modulesOf, sysctlsOf} from '../../steps/scripts/kernel.ts';
import {kubeVipAfterInit} from '../../steps/scripts/kube-vip.ts';
import {operatorKubeconfig} from '../../steps/scripts/kubeconfig.ts';
import {familyDetectionScript, osFamilies, osFamilyOf, parseOsRelease} from '../../steps/scripts/os.ts';
import {bundleFunctions, describePlan, fileInPlace, planChecks} from '../../steps/scripts/plan.ts';
import {
	changedFunction,
	checksScript,
	clearPendingScript,
	parseMissing,
	type Task,
	tasksScript,
	waitUntil,
} from '../../steps/scripts/tasks.ts';
import {describeForFamilies} from '../../steps/support/plan-step.ts';
import {exampleNames} from '../helpers/spec.ts';
import {stepHarness} from './step-harness.ts';

const bash = (script: string, env: Record<string, string> = {}) =>
	spawnSync('bash', ['-c', `set -euo pipefail\n${script}`], {encoding: 'utf8', env: {...process.env, ...env}});
const shellcheckAvailable = spawnSync('shellcheck', ['--version']).status === 0;

describe('tasks as bash', () => {
	const directory = mkdtempSync(join(tmpdir(), 'kubeha-tasks-'));
	const marker = (name: string) => join(directory, name);
	const tasks: Task[] = [
		{what: 'a made', check: sh`[ -f ${marker('a')} ]`, act: sh`touch ${marker('a')}`},
		{what: 'b made', check: sh`[ -f ${marker('b')} ]`, act: sh`echo once >> ${marker('b')}`},
	];

	it('acts only where the check fails, so a second run does nothing', () => {
		writeFileSync(marker('a'), '');
		const first = bash(`${changedFunction}\n${tasksScript(tasks)}`);
		assert.equal(first.status, 0, first.stderr);
		assert.equal(first.stdout, 'kubeha: in place: a made\nkubeha: b made\n');
		const second = bash(`${changedFunction}\n${tasksScript(tasks)}`);
		assert.equal(second.stdout, 'kubeha: in place: a made\nkubeha: in place: b made\n');
		assert.equal(readFileSync(marker('b'), 'utf8'), 'once\n');
	});

	it('lists what is not in place without changing anything', () => {
		const empty = mkdtempSync(join(tmpdir(), 'kubeha-checks-'));
		const missing = [{what: 'c made', check: sh`[ -f ${join(empty, 'c')} ]`, act: sh`touch ${join(empty, 'c')}`}];
		const result = bash(checksScript([...tasks, ...missing]));
		assert.deepEqual(parseMissing(result.stdout), ['c made']);
		assert.equal(bash(sh`[ ! -e ${join(empty, 'c')} ]`).status, 0);
	});

	it('lets a check exit without ending the script (checks run in a subshell)', () => {
		const result = bash(tasksScript([{what: 'exits', check: 'exit 0', act: 'false'}]));
		assert.equal(result.status, 0, result.stderr);
	});

	it('stops at the first act that fails', () => {
		const result = bash(
			tasksScript([
				{what: 'fails', check: 'false', act: 'echo broken >&2; false'},
				{what: 'never', check: 'false', act: 'echo reached'},
			]),
		);
		assert.notEqual(result.status, 0);
		assert.doesNotMatch(result.stdout, /reached/);
	});

	it('tells tasks which files this run wrote (kubeha_changed)', () => {
		const reload = [{what: 'reloaded', check: "! kubeha_changed '/etc/x.cfg'", act: 'echo reload'}];
		const script = `${changedFunction}\n${tasksScript(reload)}`;
		assert.match(bash(script, {KUBEHA_CHANGED: '/etc/other /etc/x.cfg'}).stdout, /^reload$/m);
		assert.doesNotMatch(bash(script, {KUBEHA_CHANGED: '/etc/x.cfg.bak'}).stdout, /^reload$/m);
	});

	it('waits a bounded number of times, then fails with the message', () => {
		const result = bash(waitUntil('false', {tries: 2, intervalSeconds: 0, failure: 'never came'}));
		assert.equal(result.status, 1);
		assert.equal(result.stderr, 'kubeha: never came\n');
		assert.equal(bash(waitUntil('true', {tries: 2, intervalSeconds: 0, failure: 'x'})).status, 0);
	});
});

describe('file checks', () => {
	it('passes only for the same content and mode', () => {
		const directory = mkdtempSync(join(tmpdir(), 'kubeha-file-'));
		const path = join(directory, 'f.conf');
		writeFileSync(path, 'x = 1\n', {mode: 0o644});
		assert.equal(bash(fileInPlace({path, content: 'x = 1\n', mode: 0o644})).status, 0);
		assert.notEqual(bash(fileInPlace({path, content: 'x = 2\n', mode: 0o644})).status, 0);
		assert.notEqual(bash(fileInPlace({path, content: 'x = 1\n', mode: 0o600})).status, 0);
		assert.notEqual(bash(fileInPlace({path: `${path}.absent`, content: '', mode: 0o644})).status, 0);
	});

	it('makes every file and task of a plan a check, and describes them in order', () => {
		const plan = [
			{
				kind: 'files' as const,
				files: [{file: {path: '/etc/a', content: 'a', mode: 0o600}, origin: 'rendered' as const}],
			},
			{kind: 'tasks' as const, tasks: [{what: 'done', check: 'true', act: 'true'}]},
		];
		assert.deepEqual(
			planChecks(plan).map((check) => check.what),
			['/etc/a written', 'done'],
		);
		assert.deepEqual(describePlan(plan), ['write /etc/a (0600)', 'done']);
	});
});

describe('a write cut before its reload', () => {
	it('leaves a pending mark that kubeha_changed sees in the next run, until the step clears it', () => {
		const path = join(mkdtempSync(join(tmpdir(), 'kubeha-pending-')), 'x.cfg');
		const changed = () => bash(`${changedFunction}\n${sh`kubeha_changed ${path}`}`).status === 0;
		try {
			// The run that writes is cut right after the write: KUBEHA_CHANGED is gone with it, the mark is not.
			const write = bash(writeFileScript({path, content: 'new\n', mode: 0o644}, {markPending: true}));
			assert.equal(write.status, 0, write.stderr);
			assert.equal(readFileSync(path, 'utf8'), 'new\n');
			assert.equal(changed(), true, 'the resumed run still reloads');
			// The file is in place now: writing again changes nothing and the mark stays until the tasks are done.
			assert.match(
				bash(writeFileScript({path, content: 'new\n', mode: 0o644}, {markPending: true})).stdout,
				/unchanged/,
			);
			assert.equal(changed(), true);
			assert.equal(bash(clearPendingScript([path])).status, 0);
			assert.equal(changed(), false, 'a later run has nothing to reload');
			// A write without the option (outside plan steps) marks nothing.
			bash(writeFileScript({path, content: 'newer\n', mode: 0o644}));
			assert.equal(changed(), false);
		} finally {
			bash(clearPendingScript([path]));
		}
	});
});

describe("apply.sh's kubeha_put", () => {
	const put = (bundle: string, path: string, mode: string) =>
		bash(
			`${bundleFunctions()}\nkubeha_bundle=${sh`${bundle}`}\n${sh`kubeha_put ${path} ${mode} ${previousVersionPath(path)}`}\necho "changed:$KUBEHA_CHANGED"`,
		);

	it('puts the bundle copy in place, keeps the replaced one, and does nothing the second time', () => {
		const bundle = mkdtempSync(join(tmpdir(), 'kubeha-bundle-'));
		const target = mkdtempSync(join(tmpdir(), 'kubeha-target-'));
		const path = join(target, 'etc', 'x.cfg');
		execFileSync('mkdir', ['-p', join(bundle, target, 'etc'), join(target, 'etc')]);
		writeFileSync(join(bundle, path), 'new\n');
		writeFileSync(path, 'old\n');
		const first = put(bundle, path, '600');
		assert.equal(first.status, 0, first.stderr);
		assert.match(first.stdout, new RegExp(`changed: ${path}$`, 'm'));
		assert.equal(readFileSync(path, 'utf8'), 'new\n');
		assert.equal(readFileSync(`${path}.kubeha-previous`, 'utf8'), 'old\n');
		assert.equal(execFileSync('stat', ['-c', '%a', path], {encoding: 'utf8'}).trim(), '600');
		assert.match(put(bundle, path, '600').stdout, /^changed:$/m);
	});

	it('refuses a file that still holds secret placeholders', () => {
		const bundle = mkdtempSync(join(tmpdir(), 'kubeha-bundle-'));
		const path = '/etc/kubeha-test-never-written.conf';
		execFileSync('mkdir', ['-p', join(bundle, 'etc')]);
		writeFileSync(join(bundle, path), 'token: <secret:bootstrap-token>\n');
		const result = put(bundle, path, '600');
		assert.equal(result.status, 1);
		assert.match(result.stderr, /still holds <secret:…> placeholders/);
	});
});

describe('containerd configuration', () => {
	const version3 = [
		'version = 3',
		"[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]",
		"  runtime_type = 'io.containerd.runc.v2'",
		"  [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]",
		"    BinaryName = ''",
		'    SystemdCgroup = false',
		"[plugins.'io.containerd.gc.v1.scheduler']",
		'',
	].join('\n');
	const version2 = [
		'disabled_plugins = []',
		'version = 2',
		'[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]',
		'  Root = ""',
		'[plugins."io.containerd.grpc.v1.cri".registry]',
		'',
	].join('\n');
	const filter = (config: string) => bash(`${systemdCgroupFilter} <<'EOF'\n${config}EOF`);
	const check = (config: string) => bash(`${systemdCgroupCheck} <<'EOF'\n${config}EOF`).status === 0;

	for (const [name, config] of [
		['containerd 2 (version 3, the line present)', version3],
		['containerd 1 (version 2, the line absent)', version2],
	] as const) {
		it(`sets SystemdCgroup = true in runc's options: ${name}`, () => {
			assert.equal(check(config), false);
			const result = filter(config);
			assert.equal(result.status, 0, result.stderr);
			assert.equal(check(result.stdout), true);
			assert.equal(result.stdout.match(/SystemdCgroup/g)?.length, 1);
		});
	}

	it('fails without runc options, and a disabled CRI plugin does not pass the check', () => {
		assert.equal(filter('version = 3\n').status, 3);
		assert.equal(check(`disabled_plugins = ["cri"]\n${filter(version3).stdout}`), false);
	});
});

describe('parsers', () => {
	it('reads os-release and maps systems to package families, ID first, then ID_LIKE', () => {
		const release = parseOsRelease('NAME="Rocky Linux"\nID="rocky"\nID_LIKE="rhel centos fedora"\n# comment\n');
		assert.equal(release['ID'], 'rocky');
		assert.equal(osFamilyOf('rocky', ['rhel']), 'dnf');
		assert.equal(osFamilyOf('linuxmint', ['ubuntu', 'debian']), 'apt');
		assert.equal(osFamilyOf('almalinux', []), 'dnf');
		assert.equal(osFamilyOf('opensuse-leap', ['suse']), undefined);
	});

	it('detects the family the same way in bash (apply.sh)', () => {
		const directory = mkdtempSync(join(tmpdir(), 'kubeha-os-'));
		const detect = (text: string) => {
			const release = join(directory, 'os-release');
			writeFileSync(release, text);
			return bash(`${familyDetectionScript().replaceAll('/etc/os-release', release)}\necho "$kubeha_family"`);
		};

		assert.equal(detect('ID=ubuntu\n').stdout, 'apt\n');
		assert.equal(detect('ID="linuxmint"\nID_LIKE="ubuntu debian"\n').stdout, 'apt\n');
		assert.equal(detect('ID=rocky\nID_LIKE="rhel centos fedora"\n').stdout, 'dnf\n');
		const unsupported = detect('ID=alpine\n');
		assert.equal(unsupported.status, 1);
		assert.match(unsupported.stderr, /not one kubeha installs on/);
	});

	it('reads the modules and settings of the rendered files', () => {
		const {view} = stepHarness();
		const files = view('cp1').files;
		const content = (path: string) => files.find((file) => file.path === path)?.content ?? '';
		assert.deepEqual(modulesOf(content('/etc/modules-load.d/kubeha.conf')), ['overlay', 'br_netfilter']);
		assert.deepEqual(
			sysctlsOf(content('/etc/sysctl.d/99-kubeha.conf')).map(({key}) => key),
			['net.ipv4.ip_forward', 'net.bridge.bridge-nf-call-iptables', 'net.bridge.bridge-nf-call-ip6tables'],
		);
	});

	it('reads the facts a host prints', () => {
		const output = [
			'',
			'@@kubeha:os-release',
			'ID=debian\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"',
			'@@kubeha:arch\nx86_64',
			'@@kubeha:addresses',
			JSON.stringify([
				{ifname: 'lo', addr_info: [{family: 'inet', local: '127.0.0.1', prefixlen: 8}]},
				{
					ifname: 'ens192',
					addr_info: [
						{family: 'inet', local: '192.168.1.91', prefixlen: 24},
						{family: 'inet6', local: 'fe80::1', prefixlen: 64},
					],
				},
			]),
			'@@kubeha:swaps\nFilename Type Size Used Priority\n/dev/sda2 partition 1 0 -2',
			'@@kubeha:listening',
			'LISTEN 0 4096 192.168.1.91:2379 0.0.0.0:* users:(("etcd",pid=812,fd=7))',
			'LISTEN 0 4096 *:8443 *:*',
			'@@kubeha:existing\n/etc/kubernetes/admin.conf',
			'@@kubeha:ca\n0123abcd  -',
			'@@kubeha:services\nkubelet active\netcd inactive\nfirewalld ',
			'@@kubeha:versions\nkubeadm v1.37.1\nkubelet Kubernetes v1.37.1\ncontainerd containerd github.com/containerd/containerd/v2 v2.1.4 75cb\netcd ',
			'@@kubeha:clock\n1000040',
			'@@kubeha:vip\nsilent',
			'',
		].join('\n');
		const facts = parseFacts(output, 1_000_000);
		assert.equal(facts.family, 'apt');
		assert.deepEqual(facts.interfaces[1], {name: 'ens192', addresses: [{address: '192.168.1.91', prefix: 24}]});
		assert.equal(facts.swapOn, true);
		assert.deepEqual(facts.listening, [
			{address: '192.168.1.91', port: 2379, program: 'etcd'},
			{address: '*', port: 8443},
		]);
		assert.deepEqual(facts.existing, ['/etc/kubernetes/admin.conf']);
		assert.equal(facts.caCertSha256, '0123abcd');
		assert.deepEqual(facts.services, {kubelet: 'active', etcd: 'inactive', firewalld: 'unknown'});
		assert.deepEqual(facts.versions, {kubeadm: '1.37.1', kubelet: '1.37.1', containerd: '2.1.4'});
		assert.equal(facts.clockSkewSeconds, 40);
		assert.equal(facts.vip, 'silent');
		assert.match(
			describeFacts(facts),
			/^Debian GNU\/Linux 12 \(bookworm\) \(apt\), x86_64; clock \+40 s; swap on; kubeadm 1\.37\.1/,
		);
	});

	it('reads this machine with the real script, changing nothing', () => {
		const result = bash(factsScript());
		assert.equal(result.status, 0, result.stderr);
		const facts = parseFacts(result.stdout, Date.now() / 1000);
		assert.ok(facts.os.id !== '', 'os-release was read');
		assert.ok(facts.interfaces.some((item) => item.addresses.some(({address}) => address === '127.0.0.1')));
		assert.ok(Math.abs(facts.clockSkewSeconds) < 5);
		assert.equal(facts.vip, undefined);
	});
});

describe('documents', () => {
	it("makes admin.conf the operator's kubeconfig: the endpoint, named after the cluster", () => {
		const {spec} = stepHarness();
		const adminConf = [
			'apiVersion: v1',
			'clusters:',
			'- cluster:',
			'    certificate-authority-data: Q0E=',
			'    server: https://192.168.1.94:8443',
			'  name: kubernetes',
			'contexts:',
			'- context:',
			'    cluster: kubernetes',
			'    user: kubernetes-admin',
			'  name: kubernetes-admin@kubernetes',
			'current-context: kubernetes-admin@kubernetes',
			'kind: Config',
			'users:',
			'- name: kubernetes-admin',
			'  user:',
			'    client-key-data: S0VZ',
			'',
		].join('\n');
		const config = parse(operatorKubeconfig(adminConf, spec)) as Record<string, unknown>;
		assert.deepEqual(config['clusters'], [
			{cluster: {'certificate-authority-data': 'Q0E=', server: 'https://192.168.1.94:8443'}, name: 'prod'},
		]);
		assert.deepEqual(config['contexts'], [{context: {cluster: 'prod', user: 'prod-admin'}, name: 'prod'}]);
		assert.deepEqual(config['users'], [{name: 'prod-admin', user: {'client-key-data': 'S0VZ'}}]);
		assert.equal(config['current-context'], 'prod');
		assert.throws(() => operatorKubeconfig('kind: Config\n', spec), /not the kubeconfig kubeadm writes/);
	});

	it("points the first control plane's kube-vip at admin.conf after init, the rest as rendered", () => {
		const {view} = stepHarness({example: 'kube-vip'});
		const rendered = view('cp1').files.find((file) => file.path === '/etc/kubernetes/manifests/kube-vip.yaml');
		assert.ok(rendered);
		const after = kubeVipAfterInit(rendered.content);
		const pod = parse(after) as {spec: {volumes: {hostPath: {path: string}}[]; containers: unknown[]}};
		const before = parse(rendered.content) as typeof pod;
		assert.equal(pod.spec.volumes[0]?.hostPath.path, '/etc/kubernetes/admin.conf');
		assert.deepEqual(pod.spec.containers, before.spec.containers);
		assert.match(after, /^# Rendered by kubeha: kube-vip/);
		assert.throws(() => kubeVipAfterInit(after), /no kubeconfig volume on \/etc\/kubernetes\/super-admin\.conf/);
	});

	it('merges the dry-run lines of both families, marking the lines only one has', () => {
		assert.deepEqual(
			describeForFamilies([
				['a', 'apt only', 'b'],
				['a', 'dnf only', 'b', 'dnf last'],
			]),
			['a', 'apt only (Debian and Ubuntu)', 'dnf only (RHEL family)', 'b', 'dnf last (RHEL family)'],
		);
	});
});

describe('every script a step or apply.sh runs', () => {
	it('is valid bash (and passes shellcheck when it is installed), for every example, host and family', () => {
		const directory = mkdtempSync(join(tmpdir(), 'kubeha-scripts-'));
		const paths: string[] = [];
		const seen = new Set<string>();
		for (const example of exampleNames) {
			const {spec, view} = stepHarness({example});
			for (const part of bundleParts) {
				for (const host of part.hosts(spec)) {
					for (const family of osFamilies) {
						const script = [
							'#!/usr/bin/env bash',
							bundleFunctions(),
							changedFunction,
							part.script(view(host.name), family),
						];
						const text = `${script.join('\n')}\n`;
						// Hosts of the same role often get the same script: each text once.
						if (seen.has(text)) {
							continue;
						}

						seen.add(text);
						const path = join(directory, `${example}-${part.id}-${host.name}-${family}.sh`);
						writeFileSync(path, text);
						const syntax = spawnSync('bash', ['-n', path], {encoding: 'utf8'});
						assert.equal(syntax.status, 0, `${path}: ${syntax.stderr}`);
						paths.push(path);
					}
				}
			}
		}

		assert.ok(paths.length > 50, `only ${paths.length} scripts`);
		if (shellcheckAvailable) {
			// SC2154: kubeha_bundle is apply.sh's, set before these parts.
			const lint = spawnSync('shellcheck', ['-S', 'warning', '-e', 'SC2154', ...paths], {encoding: 'utf8'});
			assert.equal(lint.status, 0, lint.stdout.slice(0, 4000));
		}
	});
});
