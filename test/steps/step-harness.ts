import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {renderCluster} from '../../source/render/index.ts';
import type {HostFiles} from '../../source/render/types.ts';
import type {RunEvent} from '../../source/runner/events.ts';
import {runSteps} from '../../source/runner/runner.ts';
import {pendingMarkDirectory} from '../../source/runner/write-file.ts';
import {type ClusterSpec, interfaceOf} from '../../source/spec/cluster.ts';
import type {NodeSpec} from '../../source/spec/schema.ts';
import type {HostFacts} from '../../steps/scripts/facts.ts';
import type {OsFamily} from '../../steps/scripts/os.ts';
import type {InstallRun} from '../../steps/support/install-run.ts';
import type {Step} from '../../steps/types.ts';
import {FakeShell} from '../helpers/fake-shell.ts';
import {testSecrets} from '../helpers/secrets.ts';
import {type Edit, type ExampleName, specOf} from '../helpers/spec.ts';
import {templates} from '../helpers/templates.ts';

/** The operator's clock in these tests (ms), and the hosts' (s) when their facts agree with it. */
export const testNow = Date.UTC(2026, 8, 1, 12, 0, 0);

const systems: Readonly<Record<OsFamily, HostFacts['os']>> = {
	apt: {id: 'debian', idLike: [], name: 'Debian GNU/Linux 12 (bookworm)'},
	dnf: {id: 'rocky', idLike: ['rhel', 'centos', 'fedora'], name: 'Rocky Linux 9.4 (Blue Onyx)'},
};

/** Facts of a freshly installed host that suits the spec: its address (and the VIP's subnet) on its interface. */
export function healthyFacts(spec: ClusterSpec, node: NodeSpec, family: OsFamily = 'apt'): HostFacts {
	return {
		os: systems[family],
		family,
		arch: 'x86_64',
		interfaces: [
			{name: 'lo', addresses: [{address: '127.0.0.1', prefix: 8}]},
			{name: interfaceOf(spec, node) ?? 'eth0', addresses: [{address: node.address, prefix: 24}]},
		],
		swapOn: false,
		listening: [{address: '0.0.0.0', port: 22, program: 'sshd'}],
		existing: [],
		services: {},
		versions: {},
		clockSkewSeconds: 0,
	};
}

/** What `factsScript` prints on such a host, for tests that go through the shell. */
export function factsOutput(spec: ClusterSpec, node: NodeSpec, family: OsFamily = 'apt'): string {
	const {os} = healthyFacts(spec, node, family);
	const section = (name: string, text: string) => `\n@@kubeha:${name}\n${text}`;
	return [
		section('os-release', `ID=${os.id}\nID_LIKE="${os.idLike.join(' ')}"\nPRETTY_NAME="${os.name}"\n`),
		section('arch', 'x86_64\n'),
		section(
			'addresses',
			`${JSON.stringify([
				{ifname: 'lo', addr_info: [{family: 'inet', local: '127.0.0.1', prefixlen: 8}]},
				{ifname: interfaceOf(spec, node) ?? 'eth0', addr_info: [{family: 'inet', local: node.address, prefixlen: 24}]},
			])}\n`,
		),
		section('swaps', 'Filename\tType\tSize\tUsed\tPriority\n'),
		section('listening', 'LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:(("sshd",pid=1,fd=3))\n'),
		section('existing', ''),
		section('ca', ''),
		section('services', 'kubelet inactive\nfirewalld unknown\n'),
		section('versions', 'kubeadm \nkubelet \ncontainerd \netcd \n'),
		section('clock', `${testNow / 1000}\n`),
	].join('');
}

/** An example's spec and files with a fake shell and an install run whose facts say every host is of `family`. */
export function stepHarness({
	example = 'three-control-planes',
	edit,
	family = 'apt',
}: {
	example?: ExampleName;
	edit?: Edit;
	family?: OsFamily;
} = {}) {
	const spec = specOf(edit, example);
	const files: HostFiles[] = renderCluster(spec, testSecrets, templates);
	const shell = new FakeShell();
	const run: InstallRun = {
		runId: 'test-run',
		facts: new Map(spec.nodes.map((node) => [node.name, healthyFacts(spec, node, family)])),
		now: () => testNow,
		stateDirectory: mkdtempSync(join(tmpdir(), 'kubeha-steps-')),
		shell,
		clusterCaCertificate: testSecrets.clusterCa.cert,
	};
	const node = (name: string): NodeSpec => {
		const found = spec.nodes.find((candidate) => candidate.name === name);
		if (!found) {
			throw new Error(`no node ${name} in ${example}`);
		}

		return found;
	};

	const view = (name: string) => ({
		host: node(name),
		spec,
		files: files.find((host) => host.node === name)?.files ?? [],
	});
	/** Runs steps through the real runner on the fake shell; resolves to the events and the summary. */
	const runThrough = async (steps: readonly Step[], options: {dryRun?: boolean} = {}) => {
		const events: RunEvent[] = [];
		const summary = await runSteps({
			steps,
			spec,
			files,
			shell,
			redact: (text) => text,
			onEvent: (event) => events.push(event),
			...options,
		});
		return {summary, events};
	};

	return {spec, files, shell, run, node, view, runThrough};
}

/** Every host-end outcome of a run, by host. */
export const outcomes = (events: readonly RunEvent[]) =>
	Object.fromEntries(events.flatMap((event) => (event.kind === 'host-end' ? [[event.host, event.outcome]] : [])));

/** The text of the line events of one host. */
export const linesOf = (events: readonly RunEvent[], host: string): string[] =>
	events.flatMap((event) => (event.kind === 'line' && event.host === host ? [event.text] : []));

/** The dry-run lines of one host. */
export const dryLinesOf = (events: readonly RunEvent[], host: string): string[] =>
	events.flatMap((event) => (event.kind === 'dry' && event.host === host ? [event.text] : []));

/** Rules for a shell on which everything a plan checks is already in place. */
export const everythingInPlace = (shell: FakeShell): FakeShell => shell.on('kubeha-missing: ', {stdout: ''});

/** Rules for a shell on which nothing is in place yet and every command works. */
export function nothingInPlace(shell: FakeShell, missing = 'something'): FakeShell {
	return (
		shell
			.on('kubeha-missing: ', {stdout: `kubeha-missing: ${missing}\n`})
			.on('kubeha_candidate=', {stdout: ''})
			.on('kubeha_path=', {stdout: 'kubeha-write:changed\n'})
			.on('kubeha: in place: ', {stdout: ''})
			// The pending marks a step clears once its tasks are done.
			.on(`rm -f -- ${pendingMarkDirectory}`, {stdout: ''})
	);
}

/** The admin.conf kubeadm writes on the first control plane, as `cat` on the node prints it. */
export const adminConfOf = (clientKeyData: string): string =>
	[
		'apiVersion: v1',
		'clusters:',
		'- cluster: {certificate-authority-data: Q0E=, server: "https://192.168.1.94:8443"}',
		'  name: kubernetes',
		'contexts:',
		'- context: {cluster: kubernetes, user: kubernetes-admin}',
		'  name: kubernetes-admin@kubernetes',
		'current-context: kubernetes-admin@kubernetes',
		'kind: Config',
		'users:',
		'- name: kubernetes-admin',
		`  user: {client-key-data: ${clientKeyData}}`,
		'',
	].join('\n');
