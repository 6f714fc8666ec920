import type {HostCopies, HostCopy} from '../plan/file-plan.ts';
import type {HostFiles} from '../render/types.ts';
import {type Shell, sh} from '../runner/shell.ts';
import type {NodeSpec} from '../spec/schema.ts';

const answer = 'kubeha-file';

/**
A script that prints, for each path in order, one line: `kubeha-file <mode> <base64 content>` for a regular
file, `kubeha-file absent` otherwise. It reads and changes nothing else.
*/
export function readFilesScript(paths: readonly string[]): string {
	return [
		sh`for kubeha_path in ${paths}; do`,
		'\tif [ -f "$kubeha_path" ]; then',
		`\t\tprintf '${answer} %s ' "$(stat -c %a -- "$kubeha_path")"`,
		'\t\tbase64 -w0 -- "$kubeha_path"',
		'\t\techo',
		'\telse',
		`\t\techo '${answer} absent'`,
		'\tfi',
		'done',
	].join('\n');
}

/** The answers of `readFilesScript` by path; a short answer is an error (the script was cut off). */
export function parseFilesAnswer(paths: readonly string[], stdout: string): Map<string, HostCopy> {
	const lines = stdout.split('\n').filter((line) => line.startsWith(`${answer} `));
	if (lines.length !== paths.length) {
		throw new Error(`expected an answer for each of ${paths.length} files, got ${lines.length}`);
	}

	return new Map(
		paths.map((path, index) => {
			const [, mode = '', base64 = ''] = (lines[index] ?? '').split(' ');
			return [path, mode === 'absent' ? undefined : {mode: Number.parseInt(mode, 8), content: fromBase64(base64)}];
		}),
	);
}

const fromBase64 = (text: string) => Buffer.from(text, 'base64').toString('utf8');

/**
Every node's copies of its managed files, one round trip per node, all nodes at once. A node that cannot be
read (down, ssh refused) is reported as such rather than failing the others.
*/
export async function readHostCopies(
	shell: Shell,
	nodes: readonly NodeSpec[],
	files: readonly HostFiles[],
	signal?: AbortSignal,
): Promise<Map<string, HostCopies>> {
	const read = async (node: NodeSpec): Promise<HostCopies> => {
		const paths = files.find((host) => host.node === node.name)?.files.map((file) => file.path) ?? [];
		if (paths.length === 0) {
			return {copies: new Map()};
		}

		try {
			const {stdout} = await shell.run(node, readFilesScript(paths), signal ? {signal} : {});
			return {copies: parseFilesAnswer(paths, stdout)};
		} catch (error) {
			signal?.throwIfAborted();
			return {unreadable: (error as Error).message};
		}
	};

	return new Map(await Promise.all(nodes.map(async (node) => [node.name, await read(node)] as const)));
}
