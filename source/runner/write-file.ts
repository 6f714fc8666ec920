import {createHash} from 'node:crypto';
import type {RenderedFile} from '../render/types.ts';
import {type HostShell, sh} from './shell.ts';

/** A file to put on a host: a RenderedFile fits, optionally with an owner. */
export type FileToWrite = Pick<RenderedFile, 'path' | 'content' | 'mode'> & {
	/** `user:group`; when absent the file belongs to whoever runs the script (root). */
	readonly owner?: string;
};

/** The suffix of the copy kept of the version a write replaced. */
const previousVersionSuffix = '.kubeha-previous';

/**
Directories whose programs read every file in them that is not hidden: the kubelet runs each manifest in
/etc/kubernetes/manifests as a static pod (a second copy of a pod would be a second pod), and apt warns about each
file in sources.list.d it does not use. A copy kept there must be hidden.
*/
const directoriesReadWhole = ['/etc/kubernetes/manifests/', '/etc/apt/sources.list.d/'];

/** Where a write keeps the version it replaced: `<path>.kubeha-previous`, hidden where the directory is read whole. */
export function previousVersionPath(path: string): string {
	const slash = path.lastIndexOf('/');
	const directory = path.slice(0, slash + 1);
	return directoriesReadWhole.includes(directory)
		? `${directory}.${path.slice(slash + 1)}${previousVersionSuffix}`
		: `${path}${previousVersionSuffix}`;
}

/**
Where a plan step's write marks a file as changed until the step has done what the new file needs (a reload, a
restart): a run cut between the two leaves the mark, and the resumed run, which finds the file already in place,
still does it. See `kubeha_changed`.
*/
export const pendingMarkDirectory = '/var/lib/kubeha/pending';
export const pendingMarkPath = (path: string): string => `${pendingMarkDirectory}${path}`;

/** Bash that marks the file at PATH (a shell word) as changed, before the change, so no cut can lose the mark. */
export const markPendingLine = (pathWord: string): string =>
	`kubeha_mark="${pendingMarkDirectory}"${pathWord}; mkdir -p -- "$(dirname -- "$kubeha_mark")"; : > "$kubeha_mark"`;

const changedMarker = 'kubeha-write:changed';
const unchangedMarker = 'kubeha-write:unchanged';

/**
A script that puts a file in place atomically: parent directories created, the content written to a temporary
file in the same directory (so the rename is atomic) with its mode and owner set, the replaced version kept as
`previousVersionPath`, then renamed over the path. When content, mode and owner already match, it writes
nothing, so applying twice touches nothing. The content travels as base64 inside the script (which goes on
stdin), never as a command-line argument. Its last line of output says whether the file changed.
*/
export function writeFileScript(file: FileToWrite, {markPending = false}: {markPending?: boolean} = {}): string {
	if (!file.path.startsWith('/')) {
		throw new Error(`file path ${JSON.stringify(file.path)} is not absolute: hosts' files are named from /.`);
	}

	const digest = `${createHash('sha256').update(file.content).digest('hex')}  -`;
	const mode = file.mode.toString(8);
	const base64 = Buffer.from(file.content).toString('base64');
	const ownerMatches = file.owner ? sh` && [ "$(stat -c %U:%G -- "$kubeha_path")" = ${file.owner} ]` : '';
	const setOwner = (target: string) => (file.owner ? [`${sh`\tchown ${file.owner} --`} ${target}`] : []);
	const mark = markPending ? [`\t${markPendingLine('"$kubeha_path"')}`] : [];
	return [
		sh`kubeha_path=${file.path}`,
		'kubeha_dir=$(dirname -- "$kubeha_path")',
		sh`kubeha_same_content() { [ -f "$kubeha_path" ] && [ "$(sha256sum < "$kubeha_path")" = ${digest} ]; }`,
		`${sh`if kubeha_same_content && [ "$(stat -c %a -- "$kubeha_path")" = ${mode} ]`}${ownerMatches}; then`,
		`\techo ${unchangedMarker}`,
		'elif kubeha_same_content; then',
		...mark,
		sh`\tchmod ${mode} -- "$kubeha_path"`,
		...setOwner('"$kubeha_path"'),
		`\techo ${changedMarker}`,
		'else',
		'\tmkdir -p -- "$kubeha_dir"',
		'\tkubeha_tmp=$(mktemp "$kubeha_dir/.kubeha-write-XXXXXX")',
		// Whatever fails below, no half-written temporary file stays behind.
		'\ttrap \'rm -f -- "$kubeha_tmp"\' EXIT',
		`\tprintf %s '${base64}' | base64 -d > "$kubeha_tmp"`,
		sh`\tchmod ${mode} -- "$kubeha_tmp"`,
		...setOwner('"$kubeha_tmp"'),
		'\tsync -- "$kubeha_tmp"',
		...mark,
		sh`\tif [ -e "$kubeha_path" ]; then cp -p -- "$kubeha_path" ${previousVersionPath(file.path)}; fi`,
		'\tmv -f -- "$kubeha_tmp" "$kubeha_path"',
		`\techo ${changedMarker}`,
		'fi',
	].join('\n');
}

/** Writes the file on the shell's host (see `writeFileScript`); true when anything changed. */
export async function writeFile(
	shell: HostShell,
	file: FileToWrite,
	options: {markPending?: boolean} = {},
): Promise<boolean> {
	const {stdout} = await shell.run(writeFileScript(file, options));
	const marker = stdout.trimEnd().split('\n').at(-1);
	if (marker !== changedMarker && marker !== unchangedMarker) {
		throw new Error(
			`writing ${file.path}: the script ended without saying whether it changed the file (got "${marker}").`,
		);
	}

	return marker === changedMarker;
}
