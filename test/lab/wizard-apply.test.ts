// The interactive path once, end to end: an operator runs the built `kubeha` with no arguments in a terminal,
// answers the wizard with keystrokes for a 3-host lab, applies from its last screen, confirms, and watches the
// install to its end screen; the result is checked on the hosts, not in kubeha's words.
import assert from 'node:assert/strict';
import {appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir, userInfo} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {repositoryRoot} from '../helpers/cli.ts';
import {TmuxTerminal} from '../helpers/pty.ts';
import {haproxyBackends, healthz, holdersOf, kubehaTimeoutMs, labCluster} from './cluster.ts';
import {type Lab, labAvailable, startLab} from './lab.ts';

const availability = labAvailable({commands: ['keepalived', 'haproxy', 'curl', 'socat', 'tmux']});

/**
`kubeha` as the operator runs it, with their own ssh setup: ~/.ssh/config names the lab's known_hosts, the host
keys they already trust (the key itself is typed into the wizard). ssh reads the home of the user's passwd entry,
not $HOME, so kubeha runs in a mount namespace of its own where that home is an overlay: ~/.ssh/config is added,
everything else there (Node, a checkout) is the machine's, and nothing ssh or kubeha writes reaches the machine.
The overlay goes with the namespace when kubeha ends.
*/
function operatorCommand(lab: Lab, scratch: string): string[] {
	const [upper, work] = [join(scratch, 'upper'), join(scratch, 'work')];
	mkdirSync(join(upper, '.ssh'), {recursive: true, mode: 0o700});
	mkdirSync(work);
	writeFileSync(join(upper, '.ssh', 'config'), `UserKnownHostsFile ${lab.knownHostsFile}\n`, {mode: 0o600});
	const home = userInfo().homedir;
	return [
		'unshare',
		'--mount',
		'--propagation',
		'private',
		'sh',
		'-c',
		'mount -t overlay overlay -o "lowerdir=$1,upperdir=$2,workdir=$3" "$1" && shift 3 && exec "$@"',
		'operator-home',
		home,
		upper,
		work,
		// CI=true would make ink draw only the last frame; this is a terminal, whatever runs the test.
		'env',
		'-u',
		'CI',
		process.execPath,
		join(repositoryRoot, 'bin/kubeha.js'),
	];
}

test('kubeha with no arguments, answered in a terminal, installs the cluster it planned', {
	skip: availability.ok ? false : availability.reason,
	timeout: kubehaTimeoutMs + 5 * 60_000,
}, async () => {
	const lab = await startLab({hosts: 3});
	// An empty spec only to have the hosts prepared (the apt key in place); the wizard starts a new cluster.yaml.
	const cluster = await labCluster(lab, '');
	rmSync(cluster.clusterFile);
	const scratch = mkdtempSync(join(tmpdir(), 'kubeha-operator-'));
	const terminal = TmuxTerminal.start({
		command: operatorCommand(lab, scratch),
		cwd: cluster.directory,
	});
	const [first, , last] = lab.hosts.map((host) => host.address);
	const vip = lab.address(100);
	try {
		await terminal.waitFor('Topology (1/8)');
		terminal.text('lab');
		await terminal.waitFor(/Cluster name +lab/);
		// Control planes 3 and stacked etcd are the answers shown; no workers.
		terminal.keys('Enter', 'Enter', 'Enter', 'C-u');
		terminal.text('0');
		await terminal.waitFor(/❯ Workers +0\n/);
		await terminal.waitFor(/Load balancer +keepalived \+ haproxy on the control planes/);
		await terminal.waitFor(/Run them as +systemd services/);
		terminal.keys('Enter', 'Enter', 'Enter', 'Enter');

		await terminal.waitFor('Nodes (2/8)');
		terminal.text(`${first}-${last}`);
		terminal.keys('Enter');
		await terminal.waitFor(new RegExp(`cp3 +${last?.replaceAll('.', '\\.')} +control-plane, load-balancer`));
		terminal.keys('Enter');

		await terminal.waitFor('Virtual IP (3/8)');
		terminal.text(`${vip}/24`);
		terminal.keys('Enter');
		terminal.text('eth0');
		await terminal.waitFor(/Interface +eth0/);
		await terminal.waitFor('Failover order: cp1 120 (MASTER) → cp2 110 → cp3 100');
		// The VRRP id, multicast adverts and the priorities shown.
		terminal.keys('Enter', 'Enter', 'Enter', 'Enter', 'Enter', 'Enter', 'Enter');

		await terminal.waitFor('Ports (4/8)');
		await terminal.waitFor(/Port on the VIP +8443/);
		terminal.keys('Enter', 'Enter', 'Enter', 'Enter');

		await terminal.waitFor('Kubernetes (5/8)');
		terminal.keys('C-u');
		terminal.text('1.37.1');
		terminal.keys('Enter', 'Enter', 'Enter', 'Left');
		await terminal.waitFor('● none');
		await terminal.waitFor(/Version +1\.37\.1/);
		terminal.keys('Enter', 'Enter');

		await terminal.waitFor('SSH access (6/8)');
		// root on port 22, as shown; then the key, then the check.
		terminal.keys('Enter', 'Enter');
		terminal.text(lab.identityFile);
		terminal.keys('Enter', 'Enter');
		await terminal.waitUntil(
			(screen) => lab.hosts.every((host) => screen.includes(`✔ answered as ${host.name}`)),
			'every host answering the SSH check',
		);
		terminal.keys('Enter');

		await terminal.waitFor('Review (7/8)');
		await terminal.waitFor(/3 hosts, \d+ files: \d+ new/);
		terminal.keys('Enter');

		await terminal.waitFor('Confirm (8/8)');
		// The lab's nodes cannot reach the upstream release files: the operator names a mirror in cluster.yaml, as
		// the README says (the wizard asks for none yet), before choosing Apply, which reads the saved file.
		appendFileSync(cluster.clusterFile, cluster.artifacts.componentsYaml());
		terminal.keys('Down', 'Down');
		await terminal.waitFor('❯ Apply to the 3 hosts');
		terminal.keys('Enter');

		// The wizard has handed the terminal to kubeha apply, which shows its plan, reads the hosts' files and asks.
		await terminal.waitForPrompt('Apply cluster lab to its 3 nodes?', 5 * 60_000);
		terminal.text('y');
		terminal.keys('Enter');
		const end = await terminal.waitFor(/Install (done|failed|stopped)|exit code/, kubehaTimeoutMs);
		assert.match(
			end,
			/✔ Install done in/,
			`the install did not finish; the terminal showed:\n${terminal.history().trimEnd()}`,
		);
		await terminal.waitFor('exit code 0');

		assert.deepEqual(await holdersOf(lab, vip), [lab.hosts[0]?.name], 'the VIP is on cp1 (highest priority) only');
		assert.equal(await healthz(vip, 8443), 'ok');
		for (const host of lab.hosts) {
			assert.deepEqual(await haproxyBackends(lab, host), ['cp1 UP', 'cp2 UP', 'cp3 UP'], `haproxy on ${host.name}`);
		}

		const validated = await cluster.kubeha(['validate']);
		assert.equal(validated.code, 0, `the cluster.yaml the wizard wrote does not validate:\n${validated.stdout}`);
	} finally {
		terminal.kill();
		await lab.stop();
		cluster.remove();
		rmSync(scratch, {recursive: true, force: true});
	}
});
