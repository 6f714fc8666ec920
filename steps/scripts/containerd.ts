import {sh} from '../../source/runner/shell.ts';
import type {ClusterSpec} from '../../source/spec/cluster.ts';
import type {OsFamily} from './os.ts';
import {kubernetesMinor, packagesTask} from './packages.ts';
import type {Task} from './tasks.ts';

const configPath = '/etc/containerd/config.toml';

/**
Where runc's options live: containerd 2.x (config `version = 3`) and 1.x (`version = 2`) name the CRI plugin
differently (ha-facts §6). `containerd config default` prints the one of the installed release.
*/
const runcOptionsTables = [
	"[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]",
	'[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]',
] as const;

/**
SIG Node made Kubernetes 1.35 the last release that runs on containerd 1.x; from 1.36 on the kubelet needs
containerd 2 (which is also what the kubelet's cgroup-driver detection, KubeletCgroupDriverFromCRI, needs).
*/
const lastMinorForContainerd1 = 35;

const awkTables = sh`-v v3=${runcOptionsTables[0]} -v v2=${runcOptionsTables[1]}`;
const header = 'section = $0; gsub(/^[[:space:]]+|[[:space:]]+$/, "", section)';

/** awk over a containerd config: exit 0 when runc has SystemdCgroup = true and the CRI plugin is not disabled. */
const checkProgram = [
	`/^[[:space:]]*\\[/ { ${header}; next }`,
	'(section == v3 || section == v2) && /^[[:space:]]*SystemdCgroup[[:space:]]*=[[:space:]]*true/ { found = 1 }',
	'/^[[:space:]]*disabled_plugins[[:space:]]*=.*"cri"/ { disabled = 1 }',
	'END { exit !(found && !disabled) }',
].join('\n');

/** awk that sets SystemdCgroup = true in runc's options table (adding the line when absent); exit 3 without the table. */
const setProgram = [
	'function close_table() { if (inside && !done) { print indent "SystemdCgroup = true"; done = 1 } }',
	`/^[[:space:]]*\\[/ { close_table(); ${header}; inside = (section == v3 || section == v2)`,
	'\tif (inside) { seen = 1; match($0, /^[[:space:]]*/); indent = substr($0, 1, RLENGTH) "  " }',
	'\tprint; next }',
	'inside && /^[[:space:]]*SystemdCgroup[[:space:]]*=/ { sub(/=.*/, "= true"); print; done = 1; next }',
	'{ print }',
	'END { close_table(); if (!seen) exit 3 }',
].join('\n');

/** A check that a containerd configuration on stdin has runc's SystemdCgroup = true and the CRI plugin enabled. */
export const systemdCgroupCheck = `awk ${awkTables} '\n${checkProgram}'`;

/** A filter from containerd's default configuration (stdin) to the same with SystemdCgroup = true; exit 3 without runc's table. */
export const systemdCgroupFilter = `awk ${awkTables} '\n${setProgram}'`;

/** The container runtime: installed, new enough, configured for the systemd cgroup driver, running. */
export function containerdTasks(spec: ClusterSpec, family: OsFamily): Task[] {
	return [
		...(family === 'dnf' ? [dockerRepositoryTask] : []),
		packagesTask(family, 'containerd installed', {
			// RHEL and its rebuilds ship no containerd; Docker's repository has it as containerd.io.
			packages: [family === 'apt' ? 'containerd' : 'containerd.io'],
			commands: ['containerd'],
		}),
		...(Number(kubernetesMinor(spec).split('.')[1]) > lastMinorForContainerd1 ? [containerd2Task(spec)] : []),
		{
			what: `containerd configured with SystemdCgroup = true (${configPath})`,
			check: `containerd config dump | ${systemdCgroupCheck}`,
			act: [
				'kubeha_config=$(mktemp)',
				`if ! containerd config default | ${systemdCgroupFilter} > "$kubeha_config"; then`,
				`\techo ${sh`${`kubeha: containerd's default configuration has no runc options table, so kubeha cannot set SystemdCgroup = true: set it in ${configPath} by hand (the kubelet uses the systemd cgroup driver), then apply again.`}`} >&2`,
				'\texit 1',
				'fi',
				'mkdir -p /etc/containerd',
				sh`if [ -f ${configPath} ]; then cp -p ${configPath} ${`${configPath}.kubeha-previous`}; fi`,
				sh`install -m 0644 "$kubeha_config" ${configPath}`,
				'rm -f -- "$kubeha_config"',
				'systemctl restart containerd',
			].join('\n'),
		},
		{
			what: 'containerd enabled and running',
			check: 'systemctl is-enabled --quiet containerd && systemctl is-active --quiet containerd',
			act: 'systemctl enable --now containerd',
		},
	];
}

/** dnf only: Docker's repository, the usual source of containerd on RHEL and its rebuilds. */
const dockerRepositoryTask: Task = {
	what: "Docker's package repository (for containerd.io) in /etc/yum.repos.d/docker-ce.repo",
	check: '[ -f /etc/yum.repos.d/docker-ce.repo ]',
	act: [
		// Docker publishes one repository per distribution; its RHEL rebuilds use the centos one.
		'# shellcheck disable=SC1091',
		'kubeha_distribution=$(. /etc/os-release && case "$ID" in fedora | rhel) echo "$ID" ;; *) echo centos ;; esac)',
		'curl -fsSL --retry 3 -o /etc/yum.repos.d/docker-ce.repo "https://download.docker.com/linux/$kubeha_distribution/docker-ce.repo"',
	].join('\n'),
};

function containerd2Task(spec: ClusterSpec): Task {
	const release = "$(containerd --version | awk '{print $3}')";
	return {
		what: `containerd 2 or later (Kubernetes ${kubernetesMinor(spec)} needs it)`,
		check: `[ "$(containerd --version | awk '{sub(/^v/, "", $3); split($3, v, "."); print v[1]}')" -ge 2 ]`,
		act: [
			`echo "kubeha: containerd ${release} is installed, and Kubernetes ${kubernetesMinor(spec)} needs containerd 2 or later (1.${lastMinorForContainerd1} was the last release for containerd 1.x). Install containerd 2 (containerd.io from Docker's repository, or the release from github.com/containerd/containerd), then apply again." >&2`,
			'exit 1',
		].join('\n'),
	};
}
