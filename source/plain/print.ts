import {formatFinding} from '../session/format-findings.ts';
import type {Finding} from '../spec/finding.ts';
import type {NodeSpec} from '../spec/schema.ts';
import type {DiffLine, ReviewedFile} from '../wizard/review.ts';

/** The nodes as a plain table, numbered as the edit menus number them. */
export function nodesTable(nodes: readonly NodeSpec[]): string[] {
	const header = `   ${'name'.padEnd(14)}${'address'.padEnd(18)}roles`;
	return [
		header,
		...nodes.map(
			(node, index) =>
				`${String(index + 1).padStart(2)} ${node.name.padEnd(14)}${(node.address || '(none)').padEnd(18)}${node.roles.join(', ')}`,
		),
	];
}

/** Findings worded as `kubeha validate` words them, errors first. */
export const findingLines = (findings: readonly Finding[], file: string): string[] =>
	[...findings]
		.sort((a, b) => Number(a.severity === 'warning') - Number(b.severity === 'warning'))
		.map((finding) => formatFinding(finding, file));

const prefixes: Record<DiffLine['kind'], string> = {
	add: '+',
	remove: '-',
	hidden: '-',
	context: ' ',
	hunk: '',
	note: '',
};

/** Diff lines as a unified diff prints them. */
export const diffLineText = (lines: readonly DiffLine[]): string[] =>
	lines.map((line) => `${prefixes[line.kind]}${line.text}`);

export const diffText = (file: ReviewedFile): string[] =>
	file.status === 'unchanged' ? ['(unchanged: the host has this file exactly)'] : diffLineText(file.lines);

export const fileLabel = (file: ReviewedFile): string =>
	`${{new: 'new      ', changed: 'changed  ', unchanged: 'unchanged'}[file.status]} ${file.node}:${file.path}`;
