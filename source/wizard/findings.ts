import {stringify} from 'yaml';
import {completeSpec} from '../spec/defaults.ts';
import type {Finding} from '../spec/finding.ts';
import {loadSpec} from '../spec/load.ts';
import {validateSpec} from '../spec/rules/index.ts';
import {clusterSchema, type ParsedCluster} from '../spec/schema.ts';
import type {Answers} from './answers.ts';
import type {Environment, Step} from './step.ts';

/** Findings of a draft spec; the wizard takes it as a parameter so that tests can pin the findings. */
export type Validate = (spec: ParsedCluster) => readonly Finding[];

// The TUI asks for findings on every key press; drafts are immutable, so one result per draft object is enough.
const findingsOfDraft = new WeakMap<ParsedCluster, readonly Finding[]>();

/** The findings `kubeha validate` would report for the draft: the same rules and the same messages. */
export const validateDraft: Validate = (spec) => {
	const known = findingsOfDraft.get(spec);
	if (known) {
		return known;
	}

	const parsed = clusterSchema.safeParse(spec);
	// A draft has the schema's shape by construction; should a hand-made file not, the loader words why.
	const findings = parsed.success ? validateSpec(completeSpec(parsed.data)) : loadSpec(stringify(spec)).findings;
	findingsOfDraft.set(spec, findings);
	return findings;
};

/**
Whether a finding's path belongs to a pattern: `*` takes everything, `kubernetes.*` a section, `nodes[].address`
every node's address, anything else that one path.
*/
export function pathMatches(pattern: string, path: string): boolean {
	if (pattern === '*') {
		return true;
	}

	const general = path.replaceAll(/\[\d+]/g, '[]');
	if (pattern.endsWith('.*')) {
		return general.startsWith(pattern.slice(0, -1));
	}

	return pattern === path || pattern === general;
}

// Settling makes new objects; remembering them keeps the draft's findings cached between key presses.
const settledCache = new WeakMap<Answers, Map<Step, Answers>>();

/** The answers as they will be once the operator leaves the step. */
export function settled(step: Step, answers: Answers): Answers {
	const byStep = settledCache.get(answers) ?? new Map<Step, Answers>();
	settledCache.set(answers, byStep);
	const known = byStep.get(step);
	if (known) {
		return known;
	}

	const result = step.settle?.(answers) ?? answers;
	byStep.set(step, result);
	return result;
}

/**
The findings a step shows: its own, or those on its questions' paths; computed on the answers as they will be once
it is left.
*/
export function stepFindings(step: Step, answers: Answers, environment: Environment, validate: Validate): Finding[] {
	const settledAnswers = settled(step, answers);
	if (step.findings) {
		return [...step.findings(settledAnswers)];
	}

	const patterns = [
		...(step.paths ?? []),
		...step.questions(settledAnswers, environment).flatMap((question) => question.paths),
	];
	return validate(settledAnswers.spec).filter((finding) =>
		patterns.some((pattern) => pathMatches(pattern, finding.path)),
	);
}
