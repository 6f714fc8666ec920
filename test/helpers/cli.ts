import {spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';

export const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/kubeha.js', import.meta.url));

export type CliResult = {readonly status: number | null; readonly stdout: string; readonly stderr: string};

/** Runs the built binary as a user would (`npm test` builds first), with no terminal. */
export function kubeha(args: readonly string[], options: {cwd?: string; env?: NodeJS.ProcessEnv} = {}): CliResult {
	const result = spawnSync(process.execPath, [bin, ...args], {
		cwd: options.cwd ?? repositoryRoot,
		env: {...process.env, NO_COLOR: '1', ...options.env},
		encoding: 'utf8',
		timeout: 30_000,
	});
	return {status: result.status, stdout: result.stdout, stderr: result.stderr};
}
