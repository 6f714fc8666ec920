import {readFile} from 'node:fs/promises';
import {type LoadResult, loadSpec} from '../spec/load.ts';
import {UserError} from './user-error.ts';

/** Reads and validates a spec file; a missing or unreadable file is a UserError that says what to do. */
export async function readSpecFile(path: string): Promise<LoadResult & {readonly text: string}> {
	let text: string;
	try {
		text = await readFile(path, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') {
			throw new UserError(
				`${path}: no such file. Name the spec with -c FILE, or run \`kubeha\` in a terminal to write one with the wizard.`,
			);
		}

		if (code === 'EISDIR') {
			throw new UserError(`${path} is a directory; -c takes the path of a cluster.yaml file.`);
		}

		throw new UserError(`${path}: cannot read it (${code ?? String(error)}); check its permissions.`);
	}

	return {...loadSpec(text), text};
}
