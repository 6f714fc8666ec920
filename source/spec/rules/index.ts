import type {ClusterSpec} from '../cluster.ts';
import type {Finding} from '../finding.ts';

/** A rule reads the effective spec and returns what it finds wrong. Pure. */
export type Rule = (spec: ClusterSpec) => Finding[];

const rules: readonly Rule[] = [];

/** Every finding of every rule, errors first, in the order of the file. */
export function validateSpec(spec: ClusterSpec): Finding[] {
	return rules.flatMap((rule) => rule(spec));
}
