import type {ClusterSpec} from '../cluster.ts';
import type {Finding} from '../finding.ts';

/** A rule reads the effective spec and returns what it finds wrong. Pure, and never throws on odd specs. */
export type Rule = (spec: ClusterSpec) => Finding[];

/** `nodes[1]`, `nodes[1].address` */
export const nodePath = (index: number, field?: string): string =>
	field === undefined ? `nodes[${index}]` : `nodes[${index}].${field}`;

/** "cp1", "cp1 and cp2", "cp1, cp2, cp3, cp4, cp5 and 995 more": a list that stays short on big clusters. */
export function listNames(names: readonly string[], shown = 5): string {
	if (names.length <= 1) {
		return names[0] ?? '';
	}

	const head = names.slice(0, names.length > shown ? shown : names.length - 1);
	const rest = names.length > shown ? `${names.length - shown} more` : (names.at(-1) ?? '');
	return `${head.join(', ')} and ${rest}`;
}

/** "1 node", "3 nodes" */
export const count = (amount: number, noun: string, nouns = `${noun}s`): string =>
	`${amount} ${amount === 1 ? noun : nouns}`;
