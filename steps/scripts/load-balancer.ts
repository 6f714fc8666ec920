import {haproxyConfigPath} from '../../source/render/haproxy.ts';
import {keepalivedConfigPath} from '../../source/render/keepalived.ts';
import {sh} from '../../source/runner/shell.ts';
import type {OsFamily} from './os.ts';
import {packagesTask} from './packages.ts';
import type {FilePut} from './plan.ts';
import {type Task, unchanged, waitUntil} from './tasks.ts';

/** haproxy's own configuration check: it parses without binding anything; exit 0 means valid. */
export const haproxyCheck = (pathWord: string): string => `haproxy -c -f ${pathWord}`;

/** keepalived's configuration check (keepalived 2.0.4 and later); it also checks that the interface exists. */
export const keepalivedCheck = (pathWord: string): string => `keepalived -t -f ${pathWord}`;

/** What the load-balancer nodes need from packages: the services (systemd deploy), curl for the check scripts, socat for haproxy's admin socket. */
export function loadBalancerPackagesTask(family: OsFamily, deploy: 'systemd' | 'static-pod'): Task {
	const services = deploy === 'systemd' ? ['keepalived', 'haproxy', 'curl'] : [];
	return packagesTask(family, `${[...services, 'socat'].join(', ')} installed`, {
		packages: [...services, 'socat'],
		commands: [...services, 'socat'],
	});
}

const haproxyRunDirectory = '/run/haproxy';
const tmpfilesPath = '/etc/tmpfiles.d/kubeha-haproxy.conf';

/**
dnf only: haproxy.cfg puts the admin socket in /run/haproxy, which Debian's package makes and RHEL's does not.
A tmpfiles.d entry makes it at every boot (/run is emptied), the task right away.
*/
export const haproxyRunDirectoryFile: FilePut = {
	file: {
		path: tmpfilesPath,
		content: `# Written by kubeha: the directory of haproxy's admin socket (haproxy.cfg), made at every boot.\nd ${haproxyRunDirectory} 0755 root root -\n`,
		mode: 0o644,
	},
	origin: 'generated',
};

export const haproxyRunDirectoryTask: Task = {
	what: `${haproxyRunDirectory} exists (haproxy's admin socket)`,
	check: sh`[ -d ${haproxyRunDirectory} ]`,
	act: sh`systemd-tmpfiles --create ${tmpfilesPath}`,
};

/** dnf only: SELinux lets haproxy bind the API port and connect to the API servers on theirs. */
export const haproxySelinuxTask: Task = {
	what: 'SELinux lets haproxy use any port (haproxy_connect_any)',
	check: "! command -v getsebool || ! selinuxenabled || getsebool haproxy_connect_any | grep -E 'on$'",
	act: 'setsebool -P haproxy_connect_any 1',
};

/**
haproxy enabled and running the current haproxy.cfg. A changed config is reloaded, never restarted: a reload
keeps the listener, where a restart drops it long enough for check_haproxy to move the VIP.
*/
export const haproxyServiceTask: Task = {
	what: `haproxy enabled and running the current ${haproxyConfigPath}`,
	check: `systemctl is-enabled --quiet haproxy && systemctl is-active --quiet haproxy && ${unchanged([haproxyConfigPath])}`,
	act: [
		'systemctl enable haproxy',
		'if systemctl is-active --quiet haproxy; then systemctl reload haproxy; else systemctl start haproxy; fi',
	].join('\n'),
};

/**
keepalived enabled and running the current keepalived.conf. A changed config is reloaded (the units' ExecReload
sends SIGHUP), never restarted: a reload keeps each VRRP instance's state, so the holder keeps the VIP (a new
unicast peer, a changed priority), where a stopping keepalived hands the VIP to a backup and takes it back.
*/
export const keepalivedServiceTask: Task = {
	what: `keepalived enabled and running the current ${keepalivedConfigPath}`,
	check: `systemctl is-enabled --quiet keepalived && systemctl is-active --quiet keepalived && ${unchanged([keepalivedConfigPath])}`,
	act: [
		'systemctl enable keepalived',
		'if systemctl is-active --quiet keepalived; then systemctl reload keepalived; else systemctl start keepalived; fi',
	].join('\n'),
};

/** A check that the host holds the VIP on the interface. */
export const vipHeld = (networkInterface: string, vip: string): string =>
	sh`ip -o -4 address show dev ${networkInterface} | grep -F ${` inet ${vip}/`}`;

/** How long the initial MASTER may take to add the VIP once keepalived runs (it takes about a second). */
const vipWaitSeconds = 30;

/** On the node that starts as MASTER: the VIP is up before anything needs it (kubeadm init reaches the API through it). */
export function vipUpTask(node: string, networkInterface: string, vip: string): Task {
	return {
		what: `the VIP ${vip} up on ${networkInterface}`,
		check: vipHeld(networkInterface, vip),
		act: waitUntil(vipHeld(networkInterface, vip), {
			tries: vipWaitSeconds,
			intervalSeconds: 1,
			failure: `the VIP ${vip} did not come up on ${networkInterface} of ${node} within ${vipWaitSeconds} s: see \`journalctl -u keepalived\` on ${node} (a wrong interface, or another VRRP router with the same virtual_router_id on the segment).`,
		}),
	};
}

const crictl = 'crictl --runtime-endpoint unix:///run/containerd/containerd.sock';

/**
static-pod deploy: the kubelet does not restart a pod when a file it mounts changes, and a file bind mount keeps
showing the replaced file; so a running container whose config changed is stopped, and the kubelet starts it
again on the new file. Before the kubelet runs there is nothing to stop.
*/
export function restartPodOnChangeTask(pod: 'haproxy' | 'keepalived', configs: readonly string[]): Task {
	return {
		what: `the ${pod} pod running the current ${configs.join(', ')}`,
		check: unchanged(configs),
		act: [
			`kubeha_containers=$(${crictl} ps --name ${sh`${`^${pod}$`}`} --state running -q 2>/dev/null || true)`,
			`for kubeha_container in $kubeha_containers; do ${crictl} stop "$kubeha_container" >/dev/null; done`,
		].join('\n'),
	};
}
