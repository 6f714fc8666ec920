// Test fixture: what a lab host has, read on the host itself, for scenarios that compare it before and after a run of
// kubeha: every file written on it (its overlay's upper layers), its services' processes, what the stand-ins were asked
// to do, and the files kubeha manages on it against what `kubeha render` gives.
import {createHash} from 'node:crypto';
import {lstatSync, readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {parse} from 'yaml';
import type {LabCluster} from './cluster.ts';
import type {Lab, LabHost} from './lab.ts';

/** The lab host of each node of the cluster, by address. */
export function nodeHosts(lab: Lab, cluster: LabCluster): Map<string, LabHost> {
	const {nodes} = parse(readFileSync(cluster.clusterFile, 'utf8')) as {nodes: {name: string; address: string}[]};
	return new Map(
		nodes.map((node) => {
			const host = lab.hosts.find((candidate) => candidate.address === node.address);
			if (!host) throw new Error(`node ${node.name} (${node.address}) is not a host of the lab`);
			return [node.name, host];
		}),
	);
}

/** A file kubeha puts on a node. */
export type RenderedFile = {
	readonly node: string;
	readonly path: string;
	readonly content: string;
	readonly mode: number;
};

/** Every file `kubeha render --show-secrets` gives, with its content as the hosts must have it. */
export async function renderedFiles(cluster: LabCluster): Promise<RenderedFile[]> {
	const result = await cluster.kubeha(['render', '--show-secrets']);
	if (result.code !== 0) throw new Error(`kubeha render failed: ${result.stderr}`);
	// Each file is printed as `==> node:path (0mode) <==`, a newline, the content and one more newline.
	const headers = [...result.stdout.matchAll(/^==> ([^:\n]+):(\/[^\n]*) \((0[0-7]+)\) <==\n/gm)];
	return headers.map((header, index) => {
		const start = (header.index ?? 0) + header[0].length;
		const end = headers[index + 1]?.index ?? result.stdout.length;
		return {
			node: header[1] ?? '',
			path: header[2] ?? '',
			content: result.stdout.slice(start, end - 1),
			mode: Number.parseInt(header[3] ?? '', 8),
		};
	});
}

/** Files and folders the stand-ins themselves keep changing (the API server's store and log), not kubeha's doing. */
const standInState = ['/var/lib/lab-kube-apiserver', '/var/log/lab-kube-apiserver.log'];

/**
Every file, link and folder written on the host since it started (the overlay's upper layers, where each write to
/etc, /usr, /var… lands), path → type, inode, mtime in ns, size and mode: any write, rename or new file changes it.
*/
export function writtenFiles(host: LabHost): Map<string, string> {
	const layers = join(host.directory, 'layers');
	const written = new Map<string, string>();
	for (const top of readdirSync(layers)) {
		const upper = join(layers, top, 'upper');
		for (const relative of readdirSync(upper, {recursive: true, encoding: 'utf8'})) {
			const path = `/${top}/${relative}`;
			if (standInState.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) continue;
			const stat = lstatSync(join(upper, relative), {bigint: true});
			const type = stat.isDirectory() ? 'folder' : stat.isSymbolicLink() ? 'link' : 'file';
			written.set(path, `${type} inode ${stat.ino} mtime ${stat.mtimeNs} size ${stat.size} mode ${stat.mode}`);
		}
	}

	return written;
}

/** What differs between two `writtenFiles` of a host, one line each. */
export function writesBetween(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
	const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
	return paths.flatMap((path) =>
		before.get(path) === after.get(path)
			? []
			: [`${path}: ${before.get(path) ?? '(none)'} → ${after.get(path) ?? '(gone)'}`],
	);
}

/**
The running main process of each service the systemctl stand-in started (`<unit>.service`), and the API server
stand-in's (`kube-apiserver`, started by kubeadm), name → pid. No kubelet runs in the lab (its stand-in never runs
as the node agent), so it has none.
*/
export async function servicePids(lab: Lab, host: LabHost): Promise<Record<string, number>> {
	const script = [
		'for unit in /run/lab-systemctl/*/; do',
		'\tpid=$(cat "$unit/main.pid" 2>/dev/null) && kill -0 "$pid" 2>/dev/null && echo "$(basename "$unit") $pid"',
		'done',
		'pid=$(cat /run/lab-kube/kube-apiserver.pid 2>/dev/null) && kill -0 "$pid" 2>/dev/null && echo "kube-apiserver $pid"',
		'true',
	].join('\n');
	const {stdout} = await lab.exec(host, script);
	return Object.fromEntries(
		stdout
			.split('\n')
			.filter((line) => line !== '')
			.map((line) => {
				const [name = '', pid = ''] = line.split(' ');
				return [name, Number(pid)];
			}),
	);
}

/** The logs where the stand-ins record every call (systemctl; kubeadm and kubectl; apt-get and apt-mark). */
const callLogs = ['/run/lab-systemctl/calls.log', '/run/lab-kube/calls.log', '/run/lab-apt/calls.log'];

/** Every call the stand-ins recorded on the host so far, per log. */
export async function standInCalls(lab: Lab, host: LabHost): Promise<Record<string, string[]>> {
	const entries = await Promise.all(
		callLogs.map(async (log) => {
			const {stdout} = await lab.exec(host, `cat ${log} 2>/dev/null || true`);
			return [log, stdout.split('\n').filter((line) => line !== '')] as const;
		}),
	);
	return Object.fromEntries(entries);
}

/** The calls recorded after `before` was read. */
export const callsSince = (before: Record<string, string[]>, after: Record<string, string[]>): string[] =>
	callLogs.flatMap((log) => (after[log] ?? []).slice((before[log] ?? []).length));

/** Calls that only read: service states, versions, the cluster's objects, package holds. */
const readingCalls = [
	/^systemctl (is-active|is-enabled|status|show)( |$)/,
	/^kubeadm version( |$)/,
	/^kubectl( --?[\w-]+ \S+)* (get|wait|version)( |$)/,
	/^apt-mark showhold$/,
];

/** The calls that may change something: starts, restarts, reloads, tokens, uploads, installs. */
export const changingCalls = (calls: readonly string[]): string[] =>
	calls.filter((call) => !readingCalls.some((pattern) => pattern.test(call)));

/** What a run could change on a host: its written files, its services' processes, what the stand-ins were asked. */
export type HostState = {
	readonly written: Map<string, string>;
	readonly pids: Record<string, number>;
	readonly calls: Record<string, string[]>;
};

export const stateOf = async (lab: Lab, host: LabHost): Promise<HostState> => ({
	written: writtenFiles(host),
	pids: await servicePids(lab, host),
	calls: await standInCalls(lab, host),
});

/** What changed on a host between two states: files written, services whose process changed, changing calls. */
export function changesBetween(before: HostState, after: HostState) {
	return {
		files: [...after.written]
			.filter(([path, state]) => state.startsWith('file ') && before.written.get(path) !== state)
			.map(([path]) => path)
			.sort(),
		restarted: Object.keys(before.pids).filter((service) => after.pids[service] !== before.pids[service]),
		calls: changingCalls(callsSince(before.calls, after.calls)),
	};
}

/** A managed file as a host has it: `<sha256> <mode>` of its content, or `absent`. */
export type Copy = string;

/** The copy a host has once kubeha has put the file in place. */
const renderedCopy = (file: RenderedFile): Copy =>
	`${createHash('sha256').update(file.content).digest('hex')} ${file.mode.toString(8)}`;

/** Node → path → the node's copy of each file kubeha manages on it, and the temporary files kubeha left behind. */
export type ManagedCopies = {readonly copies: Map<string, Map<string, Copy>>; readonly leftovers: readonly string[]};

/**
Every node's copy of each file kubeha manages on it, and the temporary files kubeha's writes and checks make, when
one was left behind: `.kubeha-write-*` next to the files, `/tmp/kubeha-check-*`.
*/
export async function managedCopies(
	lab: Lab,
	cluster: LabCluster,
	files: readonly RenderedFile[],
): Promise<ManagedCopies> {
	const copies = new Map<string, Map<string, Copy>>();
	const leftovers: string[] = [];
	for (const [node, host] of nodeHosts(lab, cluster)) {
		const paths = files.filter((file) => file.node === node).map((file) => file.path);
		const folders = [...new Set(paths.map((path) => path.slice(0, path.lastIndexOf('/'))))];
		const script = [
			'while IFS= read -r path; do',
			'\tif [ -e "$path" ]; then',
			'\t\tprintf \'file %s %s %s\\n\' "$(sha256sum < "$path" | cut -d " " -f 1)" "$(stat -c %a "$path")" "$path"',
			'\telse',
			'\t\tprintf \'file absent %s\\n\' "$path"',
			'\tfi',
			'done',
			`for folder in ${folders.map((folder) => `'${folder}'`).join(' ')} /tmp; do`,
			'\tfind "$folder" -maxdepth 1 \\( -name ".kubeha-write-*" -o -name "kubeha-check-*" \\) -printf "leftover %p\\n" 2>/dev/null || true',
			'done',
		].join('\n');
		const {stdout, code, stderr} = await lab.exec(host, script, {input: `${paths.join('\n')}\n`});
		if (code !== 0) throw new Error(`reading the managed files of ${node}: ${stderr}`);
		const own = new Map<string, Copy>();
		for (const line of stdout.split('\n')) {
			const [kind = '', ...fields] = line.split(' ');
			if (kind === 'leftover') leftovers.push(`${node}: ${fields.join(' ')}`);
			if (kind !== 'file') continue;
			const [first = '', ...rest] = fields;
			if (first === 'absent') own.set(rest.join(' '), 'absent');
			else own.set(rest.slice(1).join(' '), `${first} ${rest[0]}`);
		}

		copies.set(node, own);
	}

	return {copies, leftovers};
}

/**
What is wrong with the files kubeha manages, on every node: a file that is neither as rendered (same content and
mode) nor, when `before` is given, as the node had it then (a run stopped half-way must leave each file whole, old
or new), and any temporary file left behind. Empty when all is well.
*/
export async function managedFileProblems(
	lab: Lab,
	cluster: LabCluster,
	files: readonly RenderedFile[],
	before?: ManagedCopies,
): Promise<string[]> {
	const {copies, leftovers} = await managedCopies(lab, cluster, files);
	const problems = files.flatMap((file) => {
		const copy = copies.get(file.node)?.get(file.path);
		const earlier = before?.copies.get(file.node)?.get(file.path);
		return copy === renderedCopy(file) || (earlier !== undefined && copy === earlier)
			? []
			: [`${file.node}: ${file.path} is ${copy}, neither as rendered${earlier ? ` nor as before (${earlier})` : ''}`];
	});
	return [...problems, ...leftovers.map((leftover) => `${leftover} left behind`)];
}
