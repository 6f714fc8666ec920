// Test fixture: can this machine run a lab? Test files skip with the reason when it cannot, so the rest of the
// suite still runs (a laptop without root, a container without network namespaces…).
import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';

export type LabAvailability = {ok: true} | {ok: false; reason: string};

/** Commands a lab needs, and the Debian package that has each. */
const labCommands: Record<string, string> = {
	ip: 'iproute2',
	unshare: 'util-linux',
	nsenter: 'util-linux',
	setpriv: 'util-linux',
	flock: 'util-linux',
	mount: 'mount',
	bash: 'bash',
	ssh: 'openssh-client',
	'ssh-keygen': 'openssh-client',
	'/usr/sbin/sshd': 'openssh-server',
};

/** Packages of commands that lab tests commonly need besides the lab itself. */
const knownPackages: Record<string, string> = {
	keepalived: 'keepalived',
	haproxy: 'haproxy',
	etcd: 'etcd-server',
	etcdctl: 'etcd-client',
	curl: 'curl',
	ping: 'iputils-ping',
	socat: 'socat',
	tmux: 'tmux',
	openssl: 'openssl',
	'systemd-analyze': 'systemd',
};

function missingCommands(commands: readonly string[]): string[] {
	const probe = spawnSync(
		'bash',
		['-c', 'for c; do command -v "$c" >/dev/null || echo "$c"; done', 'probe', ...commands],
		{
			encoding: 'utf8',
		},
	);
	return probe.stdout.split('\n').filter(Boolean);
}

function run(command: string, ...args: string[]): string | undefined {
	const result = spawnSync(command, args, {encoding: 'utf8'});
	return result.status === 0 ? undefined : (result.stderr || result.error?.message || `exit ${result.status}`).trim();
}

/**
Whether a lab can start here, and if not, why and how to fix it. `commands` adds what a test needs inside the hosts
(for example keepalived, haproxy, etcd).
*/
export function labAvailable({commands = []}: {commands?: readonly string[]} = {}): LabAvailability {
	if (process.getuid?.() !== 0) {
		return {ok: false, reason: 'the lab needs root (network namespaces, mounts); run the tests as root'};
	}
	if (!process.features.typescript) {
		return {
			ok: false,
			reason: `the stand-ins run as TypeScript inside the hosts: use Node >= 22.18, not ${process.version}`,
		};
	}
	const missing = missingCommands([...Object.keys(labCommands), ...commands]);
	if (missing.length > 0) {
		const fixes = missing.map((command) => {
			const debianPackage = labCommands[command] ?? knownPackages[command];
			return `${command} (${debianPackage ? `apt-get install -y ${debianPackage}` : 'install what provides it'})`;
		});
		return {ok: false, reason: `missing commands: ${fixes.join(', ')}`};
	}
	if (!readFileSync('/proc/filesystems', 'utf8').includes('\toverlay\n')) {
		return {ok: false, reason: 'the kernel has no overlay file system (modprobe overlay)'};
	}
	const probe = `kubeha-lab-probe-${process.pid}`;
	const addError = run('ip', 'netns', 'add', probe);
	if (addError !== undefined) return {ok: false, reason: `ip netns add is not permitted here: ${addError}`};
	run('ip', 'netns', 'delete', probe);
	const unshareError = run('unshare', '--mount', '--uts', '--pid', '--fork', '--mount-proc', 'true');
	if (unshareError !== undefined)
		return {ok: false, reason: `unshare of mount/UTS/PID namespaces failed: ${unshareError}`};
	return {ok: true};
}
