import {createHash} from 'node:crypto';
import {sh} from '../../source/runner/shell.ts';
import {
	type FileToWrite,
	markPendingLine,
	previousVersionPath,
	writeFileScript,
} from '../../source/runner/write-file.ts';
import type {HostView} from '../types.ts';
import {clearPendingScript, type Task, tasksScript} from './tasks.ts';

/** A file a step puts on a host. */
export type FilePut = {
	readonly file: FileToWrite;
	/**
	`rendered`: one of the host's rendered files, which apply.sh copies from the bundle beside it (where the user
	may have filled in secret placeholders); `generated`: made by the step itself, which apply.sh carries.
	*/
	readonly origin: 'rendered' | 'generated';
	/** A command that checks a candidate copy before it replaces the file, given the copy's path as a shell word. */
	readonly validate?: (pathWord: string) => string;
};

/** One stage of what a step does on a host: put files in place, or do tasks. */
export type PlanAction =
	| {readonly kind: 'files'; readonly files: readonly FilePut[]}
	| {readonly kind: 'tasks'; readonly tasks: readonly Task[]};

/**
What a step does on one host, in order. Files come before the tasks that use them, and tasks can ask
`kubeha_changed PATH` whether an earlier stage wrote a file (to reload what reads it).
*/
export type HostPlan = readonly PlanAction[];

export const files = (...puts: readonly FilePut[]): PlanAction => ({kind: 'files', files: puts});
export const tasks = (...list: readonly Task[]): PlanAction => ({kind: 'tasks', tasks: list});

const octal = (mode: number) => mode.toString(8);

/** A check (see `Task`) that the file is in place: same content and mode. */
export function fileInPlace(file: FileToWrite): string {
	const digest = `${createHash('sha256').update(file.content).digest('hex')}  -`;
	return sh`[ -f ${file.path} ] && [ "$(sha256sum < ${file.path})" = ${digest} ] && [ "$(stat -c %a -- ${file.path})" = ${octal(file.mode)} ]`;
}

/** Every file and task of a plan as checks, for asking a host what is not in place yet. */
export function planChecks(plan: HostPlan): Task[] {
	return plan.flatMap((action): Task[] =>
		action.kind === 'tasks'
			? [...action.tasks]
			: action.files.map(({file}) => ({what: `${file.path} written`, check: fileInPlace(file), act: ''})),
	);
}

/** One line per file and task, for the dry run: what the step makes sure of on the host. */
export function describePlan(plan: HostPlan): string[] {
	return plan.flatMap((action) =>
		action.kind === 'tasks'
			? action.tasks.map((task) => task.what)
			: action.files.map(
					({file, validate}) =>
						`write ${file.path} (0${octal(file.mode)})${validate ? `, checked first with \`${validate('FILE')}\`` : ''}`,
				),
	);
}

/**
A script that checks a file's new content with its validator before anything replaces the file: the content goes
to a private temporary file (mktemp makes it 0600), which the validator reads and the script then removes.
*/
export function validateScript(put: FilePut): string {
	if (!put.validate) {
		return 'true';
	}

	const base64 = Buffer.from(put.file.content).toString('base64');
	return [
		'kubeha_candidate=$(mktemp /tmp/kubeha-check-XXXXXX)',
		'trap \'rm -f -- "$kubeha_candidate"\' EXIT',
		`printf %s '${base64}' | base64 -d > "$kubeha_candidate"`,
		put.validate('"$kubeha_candidate"'),
	].join('\n');
}

/**
What apply.sh defines once: `kubeha_put PATH MODE PREVIOUS` puts the bundle's copy of PATH in place (refusing a copy
that still holds secret placeholders), atomically, keeping the replaced version as PREVIOUS and writing
nothing when content and mode already match; `kubeha_note_write PATH OUTPUT` records a write done by the
runner's own write script. Both add written paths to KUBEHA_CHANGED, which `kubeha_changed` reads.
*/
export function bundleFunctions(): string {
	return [
		'KUBEHA_CHANGED=',
		'kubeha_put() {',
		'\tlocal path=$1 mode=$2 previous=$3',
		'\tlocal source="$kubeha_bundle$path"',
		'\tif grep -F \'<secret:\' -- "$source" >/dev/null; then',
		'\t\techo "kubeha: $source still holds <secret:…> placeholders: fill them in (README.md) or export the bundle with --include-secrets." >&2',
		'\t\texit 1',
		'\tfi',
		'\tif [ -f "$path" ] && cmp -s -- "$source" "$path" && [ "$(stat -c %a -- "$path")" = "$mode" ]; then',
		'\t\treturn 0',
		'\tfi',
		'\tmkdir -p -- "$(dirname -- "$path")"',
		'\tlocal temporary',
		'\ttemporary=$(mktemp "$(dirname -- "$path")/.kubeha-write-XXXXXX")',
		'\tcp -- "$source" "$temporary"',
		'\tchmod "$mode" -- "$temporary"',
		'\tif [ -e "$path" ]; then cp -p -- "$path" "$previous"; fi',
		`\t${markPendingLine('"$path"')}`,
		'\tmv -f -- "$temporary" "$path"',
		'\tKUBEHA_CHANGED="$KUBEHA_CHANGED $path"',
		'\techo "kubeha: wrote $path"',
		'}',
		'kubeha_note_write() {',
		// biome-ignore lint/suspicious/noTemplateCurlyInString: bash parameter expansion
		'\tif [ "${2##*$\'\\n\'}" = kubeha-write:changed ]; then',
		'\t\tKUBEHA_CHANGED="$KUBEHA_CHANGED $1"',
		'\t\techo "kubeha: wrote $1"',
		'\tfi',
		'}',
	].join('\n');
}

/** A plan as apply.sh runs it, with the functions of `bundleFunctions`; `kubeha_bundle` is apply.sh's directory. */
export function bundlePlanScript(plan: HostPlan): string {
	const paths = planFilePaths(plan);
	return [
		...plan.map((action) =>
			action.kind === 'tasks' ? tasksScript(action.tasks) : action.files.map((put) => bundleFileScript(put)).join('\n'),
		),
		...(paths.length > 0 ? [clearPendingScript(paths)] : []),
	].join('\n');
}

/** Every file the plan puts in place, in order. */
export const planFilePaths = (plan: HostPlan): string[] =>
	plan.flatMap((action) => (action.kind === 'files' ? action.files.map((put) => put.file.path) : []));

function bundleFileScript(put: FilePut): string {
	const {path, mode} = put.file;
	if (put.origin === 'rendered') {
		const bundled = `"$kubeha_bundle"${sh`${path}`}`;
		return [
			...(put.validate ? [put.validate(bundled)] : []),
			sh`kubeha_put ${path} ${octal(mode)} ${previousVersionPath(path)}`,
		].join('\n');
	}

	// In a subshell: the write script's EXIT trap and variables stay there.
	return [
		...(put.validate ? [`(\n${validateScript(put)}\n)`] : []),
		`kubeha_output=$(\n${writeFileScript(put.file, {markPending: true})}\n)`,
		sh`kubeha_note_write ${path} "$kubeha_output"`,
	].join('\n');
}

/** A rendered file of the host as a FilePut; a path the renderer did not give this host is a bug in the step. */
export function rendered(view: HostView, path: string, validate?: FilePut['validate']): FilePut {
	const file = view.files.find((candidate) => candidate.path === path);
	if (file === undefined) {
		throw new Error(`${view.host.name} has no rendered file ${path}: the step and the renderer disagree.`);
	}

	return {
		file: {path: file.path, content: file.content, mode: file.mode},
		origin: 'rendered',
		...(validate ? {validate} : {}),
	};
}

/** Every rendered file of the host whose path starts with one of the prefixes, in path order. */
export const renderedUnder = (view: HostView, prefixes: readonly string[]): FilePut[] =>
	view.files
		.filter((file) => prefixes.some((prefix) => file.path.startsWith(prefix)))
		.map((file) => rendered(view, file.path));
