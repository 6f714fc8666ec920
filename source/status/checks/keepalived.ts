import type {SectionOutput} from '../sections.ts';
import type {KeepalivedStatus} from '../types.ts';

/** The VRRP instance templates/keepalived.conf.mustache defines. */
export const vrrpInstanceName = 'kube_apiserver';

/**
keepalived's state and effective priority from its data dump: "Sending SIGUSR1 to keepalived causes it to dump its
data structures" to /tmp/keepalived.data (keepalived.conf(5), `data_use_instance`; keepalived(8) counts DATA
among the signals that do not change between builds). Checked with Debian 12's keepalived 2.2.7. No other
interface is in every build: the JSON dump needs --enable-json, SNMP and D-Bus their own builds and daemons,
and the journal shows transitions, not the state now. The dump's format is not promised to stay, so the
parser reads three lines by name and a missing one makes the state unknown, not wrong.

- The parent process's pid comes from its pid file, or is the oldest keepalived process: a static pod's pid
  file stays inside its container.
- The dump is read through /proc/PID/root, which is keepalived's own view of the files, so a container's /tmp
  or a unit's PrivateTmp is found too.
- keepalived writes the file after the signal, so the check waits until its size holds for 0.1 s.
- The dump holds the VRRP password (`Password = …`): awk keeps only the instance names, states and priorities
  of the VRRP topology section, so nothing else leaves the host, and both dump files are deleted afterwards.
*/
export const keepalivedScript = `local pid data size previous=-1 attempt
	pid=$(cat /run/keepalived.pid 2>/dev/null || true)
	if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
		pid=$(pgrep -o -x keepalived || true)
	fi
	if [ -z "$pid" ]; then
		echo 'no keepalived process is running'
		return 3
	fi
	data=/proc/$pid/root/tmp/keepalived.data
	rm -f "$data"
	kill -USR1 "$pid"
	for attempt in $(seq 30); do
		sleep 0.1
		size=$(stat -c %s "$data" 2>/dev/null || echo -1)
		if [ "$size" -gt 0 ] && [ "$size" = "$previous" ]; then
			break
		fi
		previous=$size
	done
	if [ ! -s "$data" ]; then
		echo "keepalived (pid $pid) wrote no /tmp/keepalived.data within 3 s of SIGUSR1"
		return 4
	fi
	awk '
		/^------< / { topology = ($0 ~ /VRRP Topology/); next }
		topology && /^ VRRP Instance = / { sub(/^ VRRP Instance = /, ""); print "instance " $0; next }
		topology && /^   (State|Priority|Effective priority) = / { sub(/^ +/, ""); print }
	' "$data"
	rm -f "$data" "/proc/$pid/root/tmp/keepalived_parent.data"`;

/** The check's output: `instance NAME` lines, each followed by `State = …`, `Priority = …`, `Effective priority = …`. */
export function parseKeepalived({text, exitCode}: SectionOutput): KeepalivedStatus {
	// 3: no keepalived process (see keepalivedScript).
	if (exitCode === 3) {
		return {running: false};
	}

	if (exitCode !== 0) {
		return {running: true, error: text.trim() || `the check ended with exit code ${exitCode}`};
	}

	const fields = new Map<string, string>();
	let inInstance = false;
	for (const line of text.split('\n')) {
		if (line.startsWith('instance ')) {
			inInstance = line.slice('instance '.length) === vrrpInstanceName;
			continue;
		}

		const match = /^([A-Za-z ]+) = (.*)$/.exec(line);
		if (inInstance && match) {
			fields.set(match[1] ?? '', match[2] ?? '');
		}
	}

	const state = fields.get('State');
	const basePriority = Number(fields.get('Priority'));
	const effectivePriority = Number(fields.get('Effective priority'));
	if (state === undefined || !Number.isInteger(basePriority) || !Number.isInteger(effectivePriority)) {
		return {running: true, error: `keepalived's data dump has no VRRP instance ${vrrpInstanceName}`};
	}

	return {running: true, instance: {state, basePriority, effectivePriority}};
}
