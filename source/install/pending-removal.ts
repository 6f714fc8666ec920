import {readFile, rm} from 'node:fs/promises';
import {join} from 'node:path';
import {writeFileAtomic} from '../io/atomic-write.ts';

/*
The record of a removal whose spec edit is done and whose apply is not yet: `<state directory>/remove-node.json`.
Written before the spec, so that should kubeha stop between the two writes, the next run still knows the edit
was its own.
*/

const pendingPath = (stateDirectory: string): string => join(stateDirectory, 'remove-node.json');

export const recordPendingRemoval = (stateDirectory: string, name: string): Promise<void> =>
	writeFileAtomic(pendingPath(stateDirectory), `${JSON.stringify({node: name})}\n`, 0o600);

export const clearPendingRemoval = (stateDirectory: string): Promise<void> =>
	rm(pendingPath(stateDirectory), {force: true});

/** The node whose removal waits for its apply, if any. */
export async function pendingRemoval(stateDirectory: string): Promise<string | undefined> {
	try {
		const record = JSON.parse(await readFile(pendingPath(stateDirectory), 'utf8')) as {node?: unknown};
		return typeof record.node === 'string' ? record.node : undefined;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) {
			return undefined;
		}

		throw error;
	}
}
