import {sh} from '../../source/runner/shell.ts';
import type {Task} from './tasks.ts';

/** Module names of a modules-load.d file: every line that is not a comment. */
export const modulesOf = (content: string): string[] =>
	content
		.split('\n')
		.map((line) => line.trim())
		.filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith(';'));

/** `key = value` settings of a sysctl.d file. */
export const sysctlsOf = (content: string): {key: string; value: string}[] =>
	content.split('\n').flatMap((line) => {
		const match = /^\s*([\w.\-/]+)\s*=\s*(.*?)\s*$/.exec(line);
		return match && !line.trim().startsWith('#') ? [{key: match[1] ?? '', value: match[2] ?? ''}] : [];
	});

/**
What shows that the kernel has a module's feature, loaded or built in, when neither /sys/module nor
modules.builtin tells: kernels built without loadable modules (micro-VMs, some clouds' kernels) ship no
modules.builtin, and a built-in module without parameters has no /sys/module entry. br_netfilter makes the
net.bridge.bridge-nf-call-* settings; overlay registers the overlay filesystem.
*/
const featureChecks: Readonly<Record<string, (root: string) => string>> = {
	br_netfilter: (root) => sh`[ -e ${`${root}/proc/sys/net/bridge/bridge-nf-call-iptables`} ]`,
	overlay: (root) => sh`grep -qw overlay ${`${root}/proc/filesystems`}`,
};

/** A path prefix the checks may put inside double quotes as it is. */
const plainPath = /^[\w./-]*$/;

/**
A check that the kernel has the module: loaded, or built in with parameters (/sys/module); built in
(modules.builtin of the running kernel, which names modules by file, `-` and `_` alike); or its feature there.
`root` prefixes every path, for tests.
*/
export function moduleInKernelCheck(module: string, root = ''): string {
	if (!plainPath.test(root)) {
		throw new Error(`moduleInKernelCheck: root ${JSON.stringify(root)} is not a plain path`);
	}

	const fileName = `(^|/)${module.replaceAll(/[-_]/g, '[-_]')}[.]ko$`;
	const feature = featureChecks[module];
	const checks = [
		sh`[ -d ${`${root}/sys/module/${module}`} ]`,
		`${sh`grep -qsE ${fileName}`} "${root}/lib/modules/$(uname -r)/modules.builtin"`,
		...(feature ? [feature(root)] : []),
	];
	return `{ ${checks.join(' || ')}; }`;
}

/** The modules in the kernel now (modules-load.d only loads them at boot); a module already there is not loaded again. */
export function modulesTask(modules: readonly string[]): Task {
	return {
		what: `kernel modules ${modules.join(', ')} in the kernel (loaded or built in)`,
		check: modules.map((module) => moduleInKernelCheck(module)).join(' && ') || 'true',
		act:
			modules.map((module) => `if ! ${moduleInKernelCheck(module)}; then ${sh`modprobe ${module}`}; fi`).join('\n') ||
			'true',
	};
}

/** The settings in effect now (sysctl.d files only apply at boot or with `sysctl --system`). */
export function sysctlsTask(settings: readonly {key: string; value: string}[]): Task {
	return {
		what: `kernel settings ${settings.map(({key, value}) => `${key}=${value}`).join(', ')} in effect`,
		check: settings.map(({key, value}) => sh`[ "$(sysctl -n ${key})" = ${value} ]`).join(' && ') || 'true',
		act: 'sysctl --system >/dev/null',
	};
}

/** awk: true (exit 0) when /etc/fstab still mounts swap (a line whose type field is swap, not commented out). */
const fstabHasSwap = 'awk \'$1 !~ /^#/ && $3 == "swap" { found = 1 } END { exit !found }\' /etc/fstab';

/** The kubelet refuses to start with swap on (failSwapOn), so swap goes, now and after the next boot. */
export const swapTasks: readonly Task[] = [
	{
		what: 'swap off',
		check: '[ "$(tail -n +2 /proc/swaps | wc -l)" = 0 ]',
		act: 'swapoff -a',
	},
	{
		what: 'swap commented out of /etc/fstab',
		check: `[ ! -f /etc/fstab ] || ! ${fstabHasSwap}`,
		act: [
			'cp -p /etc/fstab /etc/fstab.kubeha-previous',
			'awk \'$1 !~ /^#/ && $3 == "swap" { print "# kubeha: swap off for the kubelet: " $0; next } { print }\' /etc/fstab.kubeha-previous > /etc/fstab',
		].join('\n'),
	},
];

/**
dnf only: SELinux permissive, as kubernetes.io's kubeadm install guide sets it for RHEL and its rebuilds, so that
containers can read the host paths the control plane mounts.
*/
export const selinuxPermissiveTask: Task = {
	what: 'SELinux permissive (kubeadm install guide)',
	check:
		'! command -v getenforce || { [ "$(getenforce)" != Enforcing ] && ! grep -x \'SELINUX=enforcing\' /etc/selinux/config; }',
	act: [
		'if [ "$(getenforce)" = Enforcing ]; then setenforce 0; fi',
		"sed -i 's/^SELINUX=enforcing$/SELINUX=permissive/' /etc/selinux/config",
	].join('\n'),
};

/** kubeadm starts the kubelet; enabled, it comes back after a reboot (kubeadm's preflight warns otherwise). */
export const kubeletEnabledTask: Task = {
	what: 'kubelet enabled',
	check: 'systemctl is-enabled --quiet kubelet',
	act: 'systemctl enable kubelet',
};
