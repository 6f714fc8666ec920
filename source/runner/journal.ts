import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {writeFileAtomic} from '../io/atomic-write.ts';
import {UserError} from '../io/user-error.ts';

/** A step that finished on a host, and the hash of what it depended on then. */
export type JournalEntry = {readonly hash: string; readonly finishedAt: string};

type JournalData = {
	readonly version: 1;
	/** Host name → step id → entry. */
	readonly hosts: Record<string, Record<string, JournalEntry>>;
};

export const journalFileName = 'journal.json';

/**
Which steps finished on which host, kept in `<stateDirectory>/journal.json` (or another file, one per operation; mode 0600, written atomically
after every change) so that a resumed run can skip them. An entry counts only while its hash matches: a changed
spec or file re-runs the steps that depend on it.
*/
export class Journal {
	/**
	Resume: the journal of earlier runs (empty when there is none). Otherwise a new, empty journal, saved at once,
	so entries of an older run cannot leak into a later resume.
	*/
	static async open(
		stateDirectory: string,
		{resume, file = journalFileName}: {resume: boolean; file?: string},
	): Promise<Journal> {
		const path = join(stateDirectory, file);
		const journal = new Journal(path, resume ? await readJournal(path) : {version: 1, hosts: {}});
		if (!resume) {
			await journal.save();
		}

		return journal;
	}

	private saving: Promise<void> = Promise.resolve();

	readonly path: string;
	private readonly data: JournalData;

	private constructor(path: string, data: JournalData) {
		this.path = path;
		this.data = data;
	}

	isFinished(host: string, stepId: string, hash: string): boolean {
		return this.data.hosts[host]?.[stepId]?.hash === hash;
	}

	/** Forgets a step on a host: once it starts again, an earlier completion no longer holds. */
	forget(host: string, stepId: string): Promise<void> {
		const steps = this.data.hosts[host];
		if (steps?.[stepId] === undefined) {
			return Promise.resolve();
		}

		delete steps[stepId];
		return this.save();
	}

	finish(host: string, stepId: string, hash: string, finishedAt: Date): Promise<void> {
		this.data.hosts[host] = {...this.data.hosts[host], [stepId]: {hash, finishedAt: finishedAt.toISOString()}};
		return this.save();
	}

	/** Waits for every change so far to be saved (a failed save was reported by the change that asked for it). */
	flush(): Promise<void> {
		return this.saving.catch(() => undefined);
	}

	/**
	Saves one at a time, each the latest state, so parallel hosts cannot interleave writes. A failed save fails
	the change that asked for it; the next change tries again.
	*/
	private save(): Promise<void> {
		const text = () => `${JSON.stringify(this.data, null, '\t')}\n`;
		this.saving = this.saving.catch(() => undefined).then(() => writeFileAtomic(this.path, text(), 0o600));
		return this.saving;
	}
}

async function readJournal(path: string): Promise<JournalData> {
	let text: string;
	try {
		text = await readFile(path, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return {version: 1, hosts: {}};
		}

		throw error;
	}

	const data = parseJournal(text);
	if (!data) {
		throw new UserError(
			`${path} is not a kubeha journal (version 1). Run without resuming to start the steps over, or delete the file.`,
		);
	}

	return data;
}

function parseJournal(text: string): JournalData | undefined {
	try {
		const data = JSON.parse(text) as Partial<JournalData> | null;
		return data?.version === 1 && typeof data.hosts === 'object' && data.hosts !== null
			? (data as JournalData)
			: undefined;
	} catch {
		return undefined;
	}
}
