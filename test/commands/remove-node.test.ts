import assert from 'node:assert/strict';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {parse} from 'yaml';
import {type RemoveNodeOptions, removeNodeCommand} from '../../source/commands/remove-node.ts';
import type {ApplyOptions} from '../../source/install/install.ts';
import type {Shell} from '../../source/runner/shell.ts';
import type {SessionDependencies} from '../../source/session/dependencies.ts';
import type {CommandOutput} from '../../source/session/output.ts';
import {stateDirectoryFor} from '../../source/session/session.ts';
import {collect, testConnectDependencies, workspace} from '../helpers/command-world.ts';
import {FakeShell} from '../helpers/fake-shell.ts';
import {testNow} from '../steps/step-harness.ts';

function dependencies(shell: Shell | undefined, overrides: Partial<SessionDependencies> = {}): SessionDependencies {
	return {
		...testConnectDependencies(shell),
		now: () => testNow,
		...overrides,
	};
}

/** The apply flow as the removal calls it: recorded, answering with `code`. */
function fakeApply(code = 0) {
	const calls: ApplyOptions[] = [];
	return {
		calls,
		run: async (options: ApplyOptions) => {
			calls.push(options);
			return code;
		},
	};
}

const memberList = (names: readonly string[]) =>
	names
		.map(
			(name, index) =>
				`${(0xa1 + index).toString(16)}00000000000000, started, ${name}, https://192.168.1.${91 + index}:2380, https://192.168.1.${91 + index}:2379, false`,
		)
		.join('\n');

/**
The three-control-planes nodes, all answering; cp1 holds the VIP; every etcd member healthy; nothing of the
removal done yet (every check fails); etcd lists `members`. Rules are matched in order, the first wins.
*/
function liveCluster({
	members = ['cp1', 'cp2', 'cp3'],
	healthy = ['cp1', 'cp2', 'cp3'],
	unreachable = [] as string[],
	done = false,
}: {
	members?: string[];
	healthy?: string[];
	unreachable?: string[];
	done?: boolean;
} = {}): FakeShell {
	const shell = new FakeShell();
	for (const name of unreachable) {
		shell.on(/^true$/, {exitCode: 255, stderr: 'ssh: connect to host port 22: No route to host\n'}, name);
	}

	return shell
		.on(/^true$/, {})
		.on(' inet 192.168.1.94/', {}, 'cp1')
		.on(' inet 192.168.1.94/', {exitCode: 1})
		.on('/readyz/etcd', {stdout: healthy.map((name) => `kubeha-healthy: ${name}\n`).join('')})
		.on('kubeha-missing: ', {stdout: done ? '' : 'kubeha-missing: something\n'})
		.on('kubeha: in place: ', {stdout: 'kubeha: done\n'})
		.on('member remove', {stdout: 'Member a300000000000000 removed from cluster\n'})
		.on('member list -w simple', {stdout: `${memberList(members)}\n`});
}

const remove = (
	directory: string,
	options: Partial<RemoveNodeOptions>,
	output: CommandOutput,
	deps: SessionDependencies,
	apply = fakeApply(),
) => removeNodeCommand({config: join(directory, 'cluster.yaml'), name: 'cp3', ...options}, output, deps, apply.run);

const nodeNames = (directory: string) =>
	(parse(readFileSync(join(directory, 'cluster.yaml'), 'utf8')) as {nodes: Array<{name: string}>}).nodes.map(
		(node) => node.name,
	);

/** What ran where, in order: the scripts that act (not the checks), by a word that tells them apart. */
const actions = (shell: FakeShell) =>
	shell.calls
		.map((call) => {
			const words = ['drain', 'disable --now keepalived', 'kubeadm reset -f', 'member remove', 'delete node'];
			const word = words.find(
				(candidate) => call.script.includes(candidate) && call.script.includes('kubeha: in place'),
			);
			const member =
				call.script.includes('member remove') && !call.script.includes('member list') ? 'member remove' : undefined;
			const found = word ?? member;
			return found === undefined ? undefined : `${call.host}: ${found}`;
		})
		.filter((action) => action !== undefined);

describe('kubeha remove-node refuses, changing nothing', () => {
	it('a name that is no node', async () => {
		const directory = workspace();
		const output = collect();
		await assert.rejects(remove(directory, {name: 'cp4', yes: true}, output, dependencies(undefined)), {
			name: 'UserError',
			message: /kubeha did not remove cp4 and changed nothing/,
		});
		assert.match(
			output.text(),
			/error {3}.*cluster\.yaml {2}--name "cp4" is not a node of cluster prod; .*\n {8}fix: did you mean --name cp1\?/,
		);
	});

	it('the last control plane, before connecting', async () => {
		const directory = workspace();
		const spec = join(directory, 'cluster.yaml');
		writeFileSync(spec, readFileSync(spec, 'utf8').replace(/ {2}- name: cp[23]\n(?: {4}.*\n)+/g, ''));
		const output = collect();
		await assert.rejects(
			remove(directory, {name: 'cp1', yes: true}, output, dependencies(undefined)),
			/changed nothing/,
		);
		assert.match(output.text(), /cp1 is the only control plane of cluster prod.*\[remove-last-control-plane\]/);
		assert.doesNotMatch(output.text(), /no-control-plane/, 'its own words, not the spec rule behind it');
	});

	it('without a terminal or --yes', async () => {
		const directory = workspace();
		await assert.rejects(
			remove(directory, {}, collect(), dependencies(undefined)),
			/confirm it in a terminal, or pass --yes/,
		);
	});

	it('when the etcd members left would not have quorum (seen on the hosts)', async () => {
		const directory = workspace();
		const shell = liveCluster({healthy: ['cp1', 'cp3']});
		const output = collect();
		await assert.rejects(remove(directory, {yes: true}, output, dependencies(shell)), /changed nothing/);
		assert.match(
			output.text(),
			/only 1 of them answer \(not cp2\): the cluster would stop \[remove-below-etcd-quorum\]/,
		);
		assert.deepEqual(actions(shell), []);
		assert.ok(shell.closed);
		assert.deepEqual(nodeNames(directory), ['cp1', 'cp2', 'cp3', 'worker1', 'worker2']);
	});

	it('when no other control plane answers over ssh', async () => {
		const directory = workspace();
		const shell = liveCluster({unreachable: ['cp1', 'cp2']});
		await assert.rejects(
			remove(directory, {yes: true}, collect(), dependencies(shell)),
			/no control plane other than cp3 answers over ssh \(cp1 \(ssh: connect to host port 22: No route to host\), cp2 .*\)/,
		);
	});

	it('when the operator says no', async () => {
		const directory = workspace();
		const shell = liveCluster();
		const apply = fakeApply();
		const output = collect();
		const code = await remove(
			directory,
			{},
			output,
			dependencies(shell, {interactive: true, confirm: async () => false}),
			apply,
		);
		assert.equal(code, 1);
		assert.match(output.text(), /nothing was changed/);
		assert.deepEqual(actions(shell), []);
		assert.deepEqual(apply.calls, []);
	});
});

describe('kubeha remove-node', () => {
	it('takes a control plane out in order, edits cluster.yaml, then applies', async () => {
		const directory = workspace();
		const config = join(directory, 'cluster.yaml');
		const before = readFileSync(config, 'utf8');
		const shell = liveCluster();
		const apply = fakeApply();
		const output = collect();
		let asked = '';
		const deps = dependencies(shell, {
			interactive: true,
			confirm: async (message) => {
				asked = message;
				return true;
			},
		});
		assert.equal(await remove(directory, {sshOption: ['Port=22']}, output, deps, apply), 0);
		const text = output.text();
		assert.equal(asked, 'Remove cp3 from cluster prod?');
		assert.match(text, /^kubeha removes cp3 \(control-plane, load-balancer, 192\.168\.1\.93\) from cluster prod:$/m);
		assert.match(text, /^ {2}1\. drain-node on cp1\n {7}cp3 drained \(kubectl drain\)/m);
		assert.match(text, /haproxy \(reloaded\) and keepalived on cp1, cp2 forget cp3/);
		assert.match(
			text,
			/warning .*2 control planes will be left \(cp1 and cp2\).*\[remove-below-three-control-planes\]/,
		);
		assert.deepEqual(actions(shell), [
			'cp1: drain',
			'cp3: disable --now keepalived',
			'cp3: kubeadm reset -f',
			'cp1: member remove',
			'cp1: delete node',
		]);
		const drain = shell.calls.find((call) => call.script.includes(' drain cp3'));
		assert.match(
			drain?.script ?? '',
			/kubectl --kubeconfig \/etc\/kubernetes\/admin\.conf --server https:\/\/192\.168\.1\.91:6443 drain cp3 --ignore-daemonsets --delete-emptydir-data --timeout=300s;/,
		);
		assert.match(text, /\[cp1\] removed cp3's etcd member a300000000000000/);
		assert.deepEqual(nodeNames(directory), ['cp1', 'cp2', 'worker1', 'worker2']);
		assert.equal(readFileSync(`${config}.previous`, 'utf8'), before);
		assert.deepEqual(apply.calls, [{config, yes: true, sshOption: ['Port=22']}]);
		assert.equal(
			existsSync(join(stateDirectoryFor(config), 'remove-node.json')),
			false,
			'the record goes once applied',
		);
		assert.ok(shell.closed);
	});

	it('goes on after a failure: what is done is skipped, the rest runs', async () => {
		const directory = workspace();
		const failing = liveCluster();
		// kubeadm reset fails on cp3: the removal stops there, cluster.yaml unchanged, no apply.
		const broken = new FakeShell().on('kubeadm reset -f', {exitCode: 1, stderr: 'reset went wrong\n'}, 'cp3');
		const shell: Shell = {
			run: (host, script, options) =>
				script.includes('kubeha: in place') && host.name === 'cp3' && script.includes('kubeadm reset')
					? broken.run(host, script, options)
					: failing.run(host, script, options),
			close: () => failing.close(),
		};
		const apply = fakeApply();
		const output = collect();
		assert.equal(await remove(directory, {yes: true}, output, dependencies(shell), apply), 1);
		assert.match(
			output.text(),
			/kubeha remove-node failed; cp3 is still in .*cluster\.yaml\. Fix the cause, then run the same command again/,
		);
		assert.deepEqual(nodeNames(directory), ['cp1', 'cp2', 'cp3', 'worker1', 'worker2']);
		assert.deepEqual(apply.calls, []);

		// Everything is in place by now (the operator fixed it): every step is skipped, then the edit and apply.
		const again = liveCluster({members: ['cp1', 'cp2'], done: true});
		const second = collect();
		assert.equal(await remove(directory, {yes: true}, second, dependencies(again), apply), 0);
		assert.deepEqual(actions(again), []);
		assert.match(second.text(), /\[cp1\] drain-node skipped: already done: cp3 drained/);
		assert.match(second.text(), /\[cp1\] cp3 is no member of the etcd cluster \(any more\)/);
		assert.deepEqual(nodeNames(directory), ['cp1', 'cp2', 'worker1', 'worker2']);
		assert.equal(apply.calls.length, 1);
	});

	it('runs only the apply when an earlier run edited cluster.yaml but its apply did not finish', async () => {
		const directory = workspace();
		const config = join(directory, 'cluster.yaml');
		const failedApply = fakeApply(1);
		const output = collect();
		assert.equal(await remove(directory, {yes: true}, output, dependencies(liveCluster()), failedApply), 1);
		assert.match(output.text(), /cp3 is out of the cluster, but the apply after it did not finish/);
		assert.ok(existsSync(join(stateDirectoryFor(config), 'remove-node.json')));

		const apply = fakeApply();
		const second = collect();
		assert.equal(await remove(directory, {yes: true}, second, dependencies(undefined), apply), 0);
		assert.match(second.text(), /cp3 is out of the cluster and of .*cluster\.yaml already/);
		assert.equal(apply.calls.length, 1);
		assert.equal(existsSync(join(stateDirectoryFor(config), 'remove-node.json')), false);
		// Done: the name is now simply not a node.
		await assert.rejects(remove(directory, {yes: true}, collect(), dependencies(undefined)), /did not remove cp3/);
	});

	it('a node that does not answer: the rest of the cluster lets go of it, the operator is told what to run there', async () => {
		const directory = workspace();
		const shell = liveCluster({unreachable: ['cp3'], healthy: ['cp1', 'cp2']});
		const output = collect();
		assert.equal(await remove(directory, {yes: true}, output, dependencies(shell)), 0);
		assert.deepEqual(actions(shell), ['cp1: drain', 'cp1: member remove', 'cp1: delete node']);
		assert.deepEqual(
			shell.callsOn('cp3').map((call) => call.script),
			['true'],
			'nothing but the ssh probe',
		);
		const drain = shell.calls.find((call) => call.script.includes(' drain cp3'));
		assert.match(drain?.script ?? '', /--timeout=300s --skip-wait-for-delete-timeout=1;/);
		const text = output.text();
		assert.match(text, /warning cp3 does not answer over ssh \(ssh: connect to host port 22: No route to host\)/);
		assert.match(
			text,
			/warning cp3 did not answer over ssh, so kubeha could not make sure of: keepalived stopped and disabled .*run there: systemctl disable --now keepalived && systemctl disable --now haproxy$/m,
		);
		assert.match(text, /warning cp3 did not answer .* run there: kubeadm reset -f && rm -rf \/etc\/kubeha$/m);
	});

	it('stacked etcd that etcdctl cannot reach: says how to check the member by hand, and goes on', async () => {
		const directory = workspace();
		const shell = new FakeShell()
			.on('member list -w simple', {exitCode: 1, stderr: 'Error: context deadline exceeded\n'})
			.on(/[\s\S]*/, {});
		const live = liveCluster();
		const both: Shell = {
			run: (host, script, options) =>
				script.includes('member list') ? shell.run(host, script, options) : live.run(host, script, options),
			close: () => live.close(),
		};
		const output = collect();
		assert.equal(await remove(directory, {yes: true}, output, dependencies(both)), 0);
		assert.match(
			output.text(),
			/warning etcd did not answer etcdctl on cp1 \(Error: context deadline exceeded\), so kubeha could not check that cp3's etcd member is gone\..* in the etcd container .* run `etcdctl --endpoints https:\/\/127\.0\.0\.1:2379 .* member list`/,
		);
		assert.deepEqual(nodeNames(directory), ['cp1', 'cp2', 'worker1', 'worker2']);
	});

	it('a worker: drain, reset and delete; no etcd, no load balancer', async () => {
		const directory = workspace();
		const shell = liveCluster();
		assert.equal(await remove(directory, {name: 'worker2', yes: true}, collect(), dependencies(shell)), 0);
		assert.deepEqual(actions(shell), ['cp1: drain', 'worker2: kubeadm reset -f', 'cp1: delete node']);
		assert.equal(
			shell.calls.some((call) => call.script.includes('/readyz/etcd')),
			false,
			'no etcd health to read',
		);
	});

	it('an external etcd member: etcdctl member remove from another member, then its etcd stopped and emptied', async () => {
		const directory = workspace('external-etcd');
		const shell = new FakeShell()
			.on(/^true$/, {})
			.on(' inet 10.20.0.10/', {exitCode: 1})
			.on('endpoint health', {stdout: 'kubeha-healthy: etcd1\nkubeha-healthy: etcd2\nkubeha-healthy: etcd3\n'})
			.on('kubeha-missing: ', {stdout: 'kubeha-missing: something\n'})
			.on('kubeha: in place: ', {})
			.on('member remove', {})
			.on('member list -w simple', {
				stdout:
					'b1, started, etcd1, https://10.20.0.31:2380, https://10.20.0.31:2379, false\nb3, started, etcd3, https://10.20.0.33:2380, https://10.20.0.33:2379, false\n',
			});
		const output = collect();
		assert.equal(await remove(directory, {name: 'etcd3', yes: true}, output, dependencies(shell)), 0);
		const remove3 = shell.calls.find((call) => call.script.includes('member remove b3'));
		assert.equal(remove3?.host, 'etcd1');
		assert.match(
			remove3?.script ?? '',
			/etcdctl --endpoints https:\/\/10\.20\.0\.31:2379 --cacert \/etc\/kubernetes\/pki\/etcd\/ca\.crt/,
		);
		const stop = shell.calls.find(
			(call) => call.script.includes('systemctl disable --now etcd') && call.script.includes('in place'),
		);
		assert.equal(stop?.host, 'etcd3');
		assert.match(stop?.script ?? '', /find \/var\/lib\/etcd -mindepth 1 -delete/);
		assert.ok((remove3?.order ?? 0) < (stop?.order ?? 0), 'out of the cluster before it stops');
		assert.match(output.text(), /2 etcd members will be left.*\[remove-even-etcd-members\]/);
	});
});
