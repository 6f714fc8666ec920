import {sh} from '../../source/runner/shell.ts';
import {pendingMarkDirectory, pendingMarkPath} from '../../source/runner/write-file.ts';

/**
One thing a step puts in place on a host, as bash: a check that tells whether it is in place and the commands
that put it there. Steps run `tasksScript` (act where the check fails), ask `checksScript` whether anything is
missing (to skip a host with a reason), and apply.sh carries the same `tasksScript`.
*/
export type Task = {
	/** What is in place once the task is done, as the operator reads it: "kernel modules overlay, br_netfilter loaded". */
	readonly what: string;
	/**
	Exits 0 when the effect is already in place. It runs in a subshell with its output discarded, so it may
	`exit` and must change nothing.
	*/
	readonly check: string;
	/** Puts the effect in place; runs under `set -euo pipefail` only when the check failed. */
	readonly act: string;
};

/** What the tasks' checks print for each task not in place. */
const missingPrefix = 'kubeha-missing: ';

/**
`kubeha_changed PATH`: true when the step wrote PATH (a new config to reload): in this run (the step passes the
written paths in KUBEHA_CHANGED; apply.sh collects them as it puts the files in place), or in a run cut before the
step was done with it (the write's pending mark is still there, see `pendingMarkDirectory`).
*/
export const changedFunction = [
	'kubeha_changed() {',
	// biome-ignore lint/suspicious/noTemplateCurlyInString: bash parameter expansion
	'\tcase " ${KUBEHA_CHANGED:-} " in *" $1 "*) return 0 ;; esac',
	`\t[ -e "${pendingMarkDirectory}$1" ]`,
	'}',
].join('\n');

/** Bash that clears the pending marks of these files: the step has done all they needed. */
export const clearPendingScript = (paths: readonly string[]): string =>
	sh`rm -f -- ${paths.map((path) => pendingMarkPath(path))}`;

/** Bash text indented by `depth` tabs, for a block inside `if` or `for`. */
export const indent = (text: string, depth = 1): string =>
	text
		.split('\n')
		.map((line) => (line === '' ? line : `${'\t'.repeat(depth)}${line}`))
		.join('\n');

/** Bash for one task: its check, and its commands when the check fails. */
function taskBlock(task: Task): string {
	return [
		`# ${task.what}`,
		'if (',
		indent(task.check),
		') >/dev/null 2>&1; then',
		`\t${sh`echo ${`kubeha: in place: ${task.what}`}`}`,
		'else',
		`\t${sh`echo ${`kubeha: ${task.what}`}`}`,
		indent(task.act),
		'fi',
	].join('\n');
}

/** Bash that does each task whose check fails, in order, saying what it does; it needs `changedFunction` defined. */
export const tasksScript = (tasks: readonly Task[]): string => tasks.map((task) => taskBlock(task)).join('\n');

/** A script that changes nothing and prints one line for each task whose check fails. */
export const checksScript = (tasks: readonly Task[]): string =>
	[
		changedFunction,
		...tasks.map((task) =>
			['if ! (', indent(task.check), `) >/dev/null 2>&1; then ${sh`echo ${missingPrefix + task.what}`}; fi`].join('\n'),
		),
	].join('\n');

/** The tasks `checksScript` found not in place, by their `what`. */
export const parseMissing = (stdout: string): string[] =>
	stdout
		.split('\n')
		.filter((line) => line.startsWith(missingPrefix))
		.map((line) => line.slice(missingPrefix.length));

/** A task's check that `kubeha_changed` did not see any of these paths written in this run. */
export const unchanged = (paths: readonly string[]): string =>
	paths.map((path) => sh`! kubeha_changed ${path}`).join(' && ');

/** systemd reads unit files and drop-ins this run wrote (it runs what it last loaded until `daemon-reload`). */
export const daemonReloadTask = (paths: readonly string[]): Task => ({
	what: `systemd reads the current ${paths.join(', ')}`,
	check: unchanged(paths),
	act: 'systemctl daemon-reload',
});

/**
Bash that waits until `condition` holds, trying every `intervalSeconds` at most `tries` times, and stops the
script with `failure` on stderr when it never does. Bounded, so a host that never gets there fails the step.
*/
export function waitUntil(condition: string, {tries, intervalSeconds, failure}: WaitOptions): string {
	return [
		'kubeha_ready=no',
		`for _ in $(seq ${tries}); do`,
		`\tif ( ${condition} ) >/dev/null 2>&1; then kubeha_ready=yes; break; fi`,
		`\tsleep ${intervalSeconds}`,
		'done',
		'if [ "$kubeha_ready" != yes ]; then',
		`\t${sh`echo ${`kubeha: ${failure}`}`} >&2`,
		'\texit 1',
		'fi',
	].join('\n');
}

export type WaitOptions = {
	readonly tries: number;
	readonly intervalSeconds: number;
	/** What went wrong and what to look at, for the operator. */
	readonly failure: string;
};
