import {createTwoFilesPatch} from 'diff';
import type {HostFiles, RenderedFile} from '../render/types.ts';

/** A host's copy of a managed file: its content and permission bits; undefined when the host has none. */
export type HostCopy = {readonly content: string; readonly mode: number} | undefined;

/** What one host has at each of its managed paths, or why it could not be read. */
export type HostCopies = {readonly copies: ReadonlyMap<string, HostCopy>} | {readonly unreadable: string};

/** Recorded copies of the last successful apply, secrets masked: host → path → content. */
export type AppliedFiles = ReadonlyMap<string, ReadonlyMap<string, string>>;

/** One managed file of a host: what applying the spec does to it, and whether someone changed it by hand. */
export type FilePlan = {
	readonly path: string;
	/** new: the host has no copy; changed: its copy differs (content or mode); unchanged: nothing to write. */
	readonly status: 'new' | 'changed' | 'unchanged';
	/**
	A changed file's unified diff from the host's copy (or the record's) to the spec's, secrets masked; left out for
	drift alone (the spec renders what was last applied), where the drift diff says it all.
	*/
	readonly diff?: string;
	/** A mode that changes, in octal. */
	readonly mode?: {readonly from: string; readonly to: string};
	/**
	Drift: the host's copy differs from what kubeha last applied there (an edit by hand, or another tool), as a
	unified diff from the last applied copy to the host's, secrets masked. Applying overwrites it.
	*/
	readonly drift?: string;
};

/** A host's managed files against what it has now; without an answer from the host, against the record. */
export type HostFilePlan = {
	readonly host: string;
	/** Why the host's files could not be read, when they could not: the plan then compares with the record. */
	readonly unreadable?: string;
	readonly files: readonly FilePlan[];
};

export type FilePlanInput = {
	/** The files each host gets, with the secrets. */
	readonly expected: readonly HostFiles[];
	/** The same files rendered with the secrets masked, in the same order. */
	readonly masked: readonly HostFiles[];
	/** What each host has now. */
	readonly copies: ReadonlyMap<string, HostCopies>;
	readonly applied: AppliedFiles;
	/** A host's copy made fit to show beside the masked render of the file (see maskHostCopy). */
	readonly maskHost: (text: string, expectedMasked: string) => string;
};

const octal = (mode: number) => `0${mode.toString(8)}`;

const patch = (name: string, before: string, after: string, beforeLabel: string, afterLabel: string) =>
	createTwoFilesPatch(name, name, before, after, beforeLabel, afterLabel);

/**
The plan of the files: every host's managed files compared with its copies (or, for a host that could not be
read, with the record of the last apply), with drift where a host's copy is neither what kubeha last applied
nor what it would write now. Pure.
*/
export function planFiles(input: FilePlanInput): HostFilePlan[] {
	return input.expected.map((host) => {
		const masked = new Map(
			input.masked.find((other) => other.node === host.node)?.files.map((file) => [file.path, file]),
		);
		const recorded = input.applied.get(host.node) ?? new Map<string, string>();
		const copies = input.copies.get(host.node) ?? {unreadable: 'not read'};
		const maskedOf = (file: RenderedFile) => masked.get(file.path)?.content ?? '';
		if ('unreadable' in copies) {
			return {
				host: host.node,
				unreadable: copies.unreadable,
				files: host.files.map((file) => againstRecord(host.node, file.path, maskedOf(file), recorded.get(file.path))),
			};
		}

		return {
			host: host.node,
			files: host.files.map((file) =>
				againstHost(
					host.node,
					file,
					maskedOf(file),
					copies.copies.get(file.path),
					recorded.get(file.path),
					input.maskHost,
				),
			),
		};
	});
}

function againstHost(
	host: string,
	file: RenderedFile,
	expectedMasked: string,
	copy: HostCopy,
	recorded: string | undefined,
	maskHost: FilePlanInput['maskHost'],
): FilePlan {
	const name = `${host}:${file.path}`;
	if (copy === undefined) {
		return {
			path: file.path,
			status: 'new',
			...(recorded === undefined ? {} : {drift: patch(name, recorded, '', 'last applied', 'on the host now: deleted')}),
		};
	}

	const sameContent = copy.content === file.content;
	const mode = copy.mode === file.mode ? {} : {mode: {from: octal(copy.mode), to: octal(file.mode)}};
	if (sameContent) {
		return {path: file.path, status: Object.keys(mode).length === 0 ? 'unchanged' : 'changed', ...mode};
	}

	const shown = maskHost(copy.content, expectedMasked);
	const diff = {diff: patch(name, shown, expectedMasked, 'on the host now', 'this spec')};
	if (recorded === undefined || recorded === shown) {
		return {path: file.path, status: 'changed', ...diff, ...mode};
	}

	// When the spec still renders what was last applied, the drift diff says it all: applying reverses it.
	return {
		path: file.path,
		status: 'changed',
		drift: patch(name, recorded, shown, 'last applied', 'on the host now'),
		...(recorded === expectedMasked ? {} : diff),
		...mode,
	};
}

function againstRecord(host: string, path: string, expectedMasked: string, recorded: string | undefined): FilePlan {
	if (recorded === undefined) {
		return {path, status: 'new'};
	}

	return recorded === expectedMasked
		? {path, status: 'unchanged'}
		: {path, status: 'changed', diff: patch(`${host}:${path}`, recorded, expectedMasked, 'last applied', 'this spec')};
}

/** Every drifted file, as `host:path`. */
export const driftedFiles = (plans: readonly HostFilePlan[]): string[] =>
	plans.flatMap((plan) =>
		plan.files.filter((file) => file.drift !== undefined).map((file) => `${plan.host}:${file.path}`),
	);

const countOf = (files: readonly FilePlan[], status: FilePlan['status']) =>
	files.filter((file) => file.status === status).length;

function hostLines(plan: HostFilePlan): string[] {
	const {files} = plan;
	const changed = countOf(files, 'changed');
	const added = countOf(files, 'new');
	const basis =
		plan.unreadable === undefined
			? ''
			: ` (could not read its files: ${plan.unreadable}; compared with the last apply instead)`;
	if (changed + added === 0) {
		return [`${plan.host}: unchanged (${files.length} files)${basis}`];
	}

	const counts = [changed > 0 ? `${changed} changed` : '', added > 0 ? `${added} new` : ''].filter(Boolean).join(', ');
	return [
		`${plan.host}: ${counts}, ${countOf(files, 'unchanged')} unchanged${basis}`,
		...files.flatMap((file) => fileLines(plan.host, file)),
	];
}

function fileLines(host: string, file: FilePlan): string[] {
	const mode = file.mode ? ` (mode ${file.mode.from} → ${file.mode.to})` : '';
	switch (file.status) {
		case 'unchanged': {
			return [];
		}

		case 'new': {
			return [
				`  new: ${file.path}`,
				...(file.drift === undefined
					? []
					: [`  DRIFT: ${file.path} was deleted on ${host} since kubeha last applied it; applying writes it again.`]),
			];
		}

		case 'changed': {
			if (file.drift === undefined) {
				return [`  changed: ${file.path}${mode}`, ...(file.diff === undefined ? [] : [file.diff])];
			}

			return [
				`  DRIFT: ${file.path} on ${host} is not what kubeha last applied (edited by hand, or by another tool); the difference, from the last applied copy to the host's:`,
				file.drift,
				file.diff === undefined
					? `  applying puts the last applied copy back${mode}.`
					: `  applying replaces it with this spec's copy, which changed since too${mode}; from the host's copy:`,
				...(file.diff === undefined ? [] : [file.diff]),
			];
		}
	}
}

/**
The file section of the plan: each host unchanged, or its new and changed files with diffs and drift called
out; without a record of an earlier apply, says that hand edits cannot be told from files kubeha never wrote.
*/
export function formatFilePlan(plans: readonly HostFilePlan[], recordDirectory: string, recorded: boolean): string {
	const drifted = driftedFiles(plans);
	return [
		'files on the hosts, compared with what each host has now (secrets masked):',
		...plans.flatMap(hostLines),
		...(recorded
			? []
			: [
					`(no earlier apply is recorded in ${recordDirectory}, so a file changed by hand cannot be told from one kubeha never wrote)`,
				]),
		...(drifted.length === 0
			? []
			: [
					`drift: ${drifted.length === 1 ? 'this file was' : `these ${drifted.length} files were`} changed on the host since kubeha last applied ${drifted.length === 1 ? 'it' : 'them'}: ${drifted.join(', ')}`,
				]),
	].join('\n');
}
