import {containerdUnitPath} from '../../source/render/prerequisites.ts';
import {sh} from '../../source/runner/shell.ts';
import type {ClusterSpec} from '../../source/spec/cluster.ts';
import {installTask} from './components.ts';
import {type Task, unchanged} from './tasks.ts';

const configPath = '/etc/containerd/config.toml';
/** The containerd kubeha installed, by its path: a distribution's in /usr/bin may still be on the PATH. */
const containerd = '/usr/local/bin/containerd';

/**
Where runc's options live: containerd 2.x (config `version = 3`) and 1.x (`version = 2`) name the CRI plugin
differently (ha-facts §6). `containerd config default` prints the one of the installed release.
*/
const runcOptionsTables = [
	"[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]",
	'[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]',
] as const;

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

/** containerd restarted when it runs, so that it runs the binary and unit now in place. */
const restartIfRunning = 'if systemctl is-active --quiet containerd; then systemctl restart containerd; fi';

/**
The container runtime from its upstream release files (downloaded and verified by download-components): runc,
the CNI plugins, crictl and containerd of the components table, systemd reading kubeha's unit, the systemd cgroup
driver, running. A distribution's containerd is replaced (said in the step's output), never a newer one.
*/
export function containerdTasks(spec: ClusterSpec): Task[] {
	return [
		installTask(spec, 'runc'),
		installTask(spec, 'cni'),
		installTask(spec, 'crictl'),
		installTask(spec, 'containerd', ['systemctl daemon-reload', restartIfRunning].join('\n')),
		{
			what: `systemd reads the current ${containerdUnitPath}`,
			check: unchanged([containerdUnitPath]),
			act: ['systemctl daemon-reload', restartIfRunning].join('\n'),
		},
		{
			what: `containerd configured with SystemdCgroup = true (${configPath})`,
			check: `${containerd} config dump | ${systemdCgroupCheck}`,
			act: [
				'kubeha_config=$(mktemp)',
				`if ! ${containerd} config default | ${systemdCgroupFilter} > "$kubeha_config"; then`,
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
