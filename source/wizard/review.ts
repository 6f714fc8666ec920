import {structuredPatch} from 'diff';
import type {HostFiles} from '../render/types.ts';
import {maskSecrets} from '../secrets/mask.ts';
import type {Secrets} from '../secrets/types.ts';
import type {Environment} from './step.ts';

export type FileStatus = 'new' | 'changed' | 'unchanged';

/** One line of a unified diff, by what it is. `hidden` stands for a line of a secret file the host has. */
export type DiffLine = {
	readonly kind: 'add' | 'remove' | 'context' | 'hunk' | 'note' | 'hidden';
	readonly text: string;
};

export type ReviewedFile = {
	readonly node: string;
	readonly path: string;
	readonly mode: number;
	readonly secret: boolean;
	readonly status: FileStatus;
	/** Empty for an unchanged file. */
	readonly lines: readonly DiffLine[];
};

/** What the review screen shows. */
export type Review = {
	readonly hosts: number;
	readonly files: readonly ReviewedFile[];
};

/** What a host has now at a path, read before the review is built; undefined when it has nothing there. */
export type CurrentFiles = (node: string, path: string) => string | undefined;

/** Pairs of (real value, placeholder) for every secret: what masking replaced. */
export function secretReplacements(secrets: Secrets): [string, string][] {
	const pairs: [string, string][] = [];
	const walk = (real: unknown, masked: unknown): void => {
		if (typeof real === 'string' && typeof masked === 'string') {
			if (real !== masked) {
				pairs.push([real, masked]);
			}

			return;
		}

		if (typeof real === 'object' && real !== null && typeof masked === 'object' && masked !== null) {
			for (const [key, value] of Object.entries(real)) {
				walk(value, (masked as Record<string, unknown>)[key]);
			}
		}
	};

	walk(secrets, maskSecrets(secrets));
	// Longest first, so that a value inside another (a token inside a command line) is not replaced half.
	return pairs.sort((a, b) => b[0].length - a[0].length);
}

const maskText = (text: string, replacements: readonly [string, string][]): string =>
	replacements.reduce((masked, [real, placeholder]) => masked.replaceAll(real, placeholder), text);

/** A file's lines; the newline that ends the last one does not make another. */
const linesOf = (content: string): string[] => content.replace(/\n$/, '').split('\n');

const hiddenLine = 'a line the host has, not shown: this file holds secrets';

/** The unified diff of two texts, line by line; `secret` hides the lines only `before` has. */
export function diffLines(path: string, before: string, after: string, secret: boolean): DiffLine[] {
	const patch = structuredPatch(path, path, before, after, '', '', {context: 3});
	return patch.hunks.flatMap((hunk): DiffLine[] => [
		{kind: 'hunk', text: `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`},
		...hunk.lines.map((line): DiffLine => {
			const text = line.slice(1);
			switch (line[0]) {
				case '+': {
					return {kind: 'add', text};
				}

				case '-': {
					// The host's copy of a secret file may hold values the masking does not know (another cluster's).
					return secret ? {kind: 'hidden', text: hiddenLine} : {kind: 'remove', text};
				}

				case '\\': {
					return {kind: 'note', text: line};
				}

				default: {
					return {kind: 'context', text};
				}
			}
		}),
	]);
}

/**
Every file of every host against what the host has now. `shown` is rendered with masked secrets and is what the
screen displays; `actual`, rendered with the real ones, tells whether a host's copy is up to date. A host's copy is
masked before it is compared, so a bundle exported with or without secrets compares the same.
*/
export function reviewFiles(input: {
	readonly shown: readonly HostFiles[];
	readonly actual: readonly HostFiles[];
	readonly current: CurrentFiles;
	readonly secrets: Secrets;
}): Review {
	const replacements = secretReplacements(input.secrets);
	const actualContent = new Map(
		input.actual.flatMap((host) => host.files.map((file) => [`${host.node}:${file.path}`, file.content])),
	);
	const files = input.shown.flatMap((host) =>
		host.files.map((file): ReviewedFile => {
			const base = {node: host.node, path: file.path, mode: file.mode, secret: file.secret};
			const current = input.current(host.node, file.path);
			if (current === undefined) {
				return {...base, status: 'new', lines: linesOf(file.content).map((text) => ({kind: 'add', text}))};
			}

			const masked = maskText(current, replacements);
			if (current === actualContent.get(`${host.node}:${file.path}`) || masked === file.content) {
				return {...base, status: 'unchanged', lines: []};
			}

			return {...base, status: 'changed', lines: diffLines(file.path, masked, file.content, file.secret)};
		}),
	);
	return {hosts: input.shown.length, files};
}

const count = (amount: number, noun: string): string => `${amount} ${noun}${amount === 1 ? '' : 's'}`;

/** What the review adds up to, and what each way on from it does. */
export function reviewSummary(review: Review, environment: Environment): string[] {
	const by = (status: FileStatus) => review.files.filter((file) => file.status === status).length;
	return [
		`${count(review.hosts, 'host')}, ${count(review.files.length, 'file')}: ${by('new')} new, ${by('changed')} changed, ${by('unchanged')} unchanged.`,
		`Save keeps ${environment.configPath}; export writes these files to ${environment.bundlePath}; ${
			environment.canApply ? 'apply installs them on the hosts over SSH' : 'apply is not available yet'
		}.`,
	];
}
