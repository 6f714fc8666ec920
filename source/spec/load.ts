import {isMap, isScalar, LineCounter, parseDocument} from 'yaml';
import type {z} from 'zod';
import type {ClusterSpec} from './cluster.ts';
import {completeSpec} from './defaults.ts';
import {error, type Finding, formatPath, hasErrors, type PathSegment, show} from './finding.ts';
import {validateSpec} from './rules/index.ts';
import {apiVersion, clusterSchema} from './schema.ts';

export type LoadResult = {
	/** The effective spec, when the file has the right shape (it may still have rule errors). */
	readonly spec?: ClusterSpec;
	readonly findings: readonly Finding[];
	readonly valid: boolean;
};

/**
Parses and validates the text of a cluster.yaml. Pure: never throws on input, whatever the input;
every problem becomes a finding with a path and, where the file has one, a line and column.
*/
export function loadSpec(text: string): LoadResult {
	const lineCounter = new LineCounter();
	// logLevel 'error': the yaml package would otherwise print its warnings to the terminal itself.
	const document = parseDocument(text, {lineCounter, uniqueKeys: true, prettyErrors: true, logLevel: 'error'});
	const syntax = document.errors.map((problem) => {
		const [line, column] = problem.linePos?.[0] ? [problem.linePos[0].line, problem.linePos[0].col] : [];
		return {
			...error(
				'yaml-syntax',
				'',
				`the file is not valid YAML: ${problem.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`,
				'correct the YAML at the position given (indentation, a missing colon or quote).',
			),
			line,
			column,
		};
	});
	if (syntax.length > 0) {
		return {findings: syntax, valid: false};
	}

	let data: unknown;
	try {
		data = document.toJS({maxAliasCount});
	} catch (problem) {
		// toJS throws on alias bombs (more than maxAliasCount expansions) and aliases it cannot resolve.
		return {
			findings: [
				error(
					'yaml-aliases',
					'',
					`the file's anchors and aliases (&name, *name) cannot be expanded: ${(problem as Error).message}`,
					'write the repeated values out instead of using anchors and aliases.',
				),
			],
			valid: false,
		};
	}

	if (data === null || data === undefined) {
		return {
			findings: [
				error('empty-file', '', 'the file is empty', 'write a cluster spec; `kubeha` (the wizard) writes one for you.'),
			],
			valid: false,
		};
	}

	const positionOf = (path: readonly PathSegment[]): {line?: number; column?: number} => {
		for (let length = path.length; length >= 0; length--) {
			const node = document.getIn(path.slice(0, length), true);
			const start = (node as {range?: [number, number, number]} | undefined)?.range?.[0];
			if (start !== undefined) {
				const {line, col} = lineCounter.linePos(start);
				return {line, column: col};
			}
		}

		return {};
	};

	/** An unknown field is best shown at its key, not at its value. */
	const keyPositionOf = (path: readonly PathSegment[]): {line?: number; column?: number} => {
		const parent = document.getIn(path.slice(0, -1), true);
		const pair = isMap(parent)
			? parent.items.find((item) => isScalar(item.key) && item.key.value === path.at(-1))
			: undefined;
		const start = isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
		if (start === undefined) {
			return positionOf(path);
		}

		const {line, col} = lineCounter.linePos(start);
		return {line, column: col};
	};

	const locate = (finding: Finding, at: readonly PathSegment[] = parsePath(finding.path)): Finding => ({
		...finding,
		...(finding.rule === 'unknown-field' ? keyPositionOf(at) : positionOf(at)),
	});

	const parsed = clusterSchema.safeParse(data, {reportInput: true});
	if (!parsed.success) {
		const sourceOf = (path: readonly PathSegment[]): string | undefined => {
			const node = document.getIn(path, true) as {source?: unknown} | undefined;
			return typeof node?.source === 'string' ? node.source : undefined;
		};

		const findings = parsed.error.issues.flatMap((issue) => describeIssue(issue, data, sourceOf));
		return {findings: findings.map(([finding, at]) => locate(finding, at)), valid: false};
	}

	const spec = completeSpec(parsed.data);
	const findings = validateSpec(spec).map((finding) => locate(finding));
	return {spec, findings, valid: !hasErrors(findings)};
}

/** `nodes[1].address` → `['nodes', 1, 'address']` */
export function parsePath(path: string): PathSegment[] {
	const segments: PathSegment[] = [];
	for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)]/g)) {
		segments.push(match[2] === undefined ? (match[1] ?? '') : Number(match[2]));
	}

	return segments;
}

type Issue = z.core.$ZodIssue;

/** A finding and where in the document it points, as path segments (a key may itself contain "." or "["). */
type Located = [Finding, readonly PathSegment[]];

/** How many alias expansions a file may use: enough for any real spec, too few for a billion laughs. */
const maxAliasCount = 100;

function describeIssue(
	issue: Issue,
	data: unknown,
	sourceOf: (path: readonly PathSegment[]) => string | undefined,
): Located[] {
	const segments = issue.path.filter((segment): segment is PathSegment => typeof segment !== 'symbol');
	const path = formatPath(segments);
	const subject = path === '' ? 'the file' : path;
	switch (issue.code) {
		case 'unrecognized_keys': {
			return issue.keys.map((key) => {
				const known = knownFields(segments);
				const guess = closest(key, known);
				const finding = error(
					'unknown-field',
					formatPath([...segments, key]),
					`unknown field ${show(key)}${path ? ` in ${path}` : ''}${guess ? `; did you mean ${show(guess)}?` : ''}`,
					guess ? `rename it to ${show(guess)}.` : `remove it; the fields here are: ${known.join(', ')}.`,
				);
				return [finding, [...segments, key]];
			});
		}

		case 'invalid_type': {
			const value = valueAt(data, segments);
			if (value === undefined) {
				return [[error('required-field', path, `${path} is missing and has no default`, requiredFix(path)), segments]];
			}

			const source = sourceOf(segments);
			// YAML reads 1.30 as the number 1.3 and yes as true: quoting keeps what was written.
			const quote =
				issue.expected === 'string' && typeof value !== 'object' && source !== undefined
					? ` in quotes: ${JSON.stringify(source)}`
					: '';
			return [
				[
					error(
						'wrong-type',
						path,
						`${subject} is ${describeValue(value)}, but must be ${article(issue.expected)}`,
						quote ? `write it${quote}.` : wrongTypeFix(issue.expected, value, subject),
					),
					segments,
				],
			];
		}

		case 'invalid_value': {
			const value = valueAt(data, segments);
			const allowed = issue.values.map((v) => show(v)).join(', ');
			const rule = segments.at(-1) === 'apiVersion' || segments.at(-1) === 'kind' ? 'unknown-kind' : 'unknown-value';
			return [
				[
					error(
						rule,
						path,
						`${subject} is ${describeValue(value)}, which kubeha does not know`,
						issue.values.length === 1 ? `write ${allowed}.` : `choose one of ${allowed}.`,
					),
					segments,
				],
			];
		}

		default: {
			return [[error('invalid-field', path, `${subject}: ${issue.message}`, 'correct the value.'), segments]];
		}
	}
}

function requiredFix(path: string): string {
	switch (path) {
		case 'apiVersion': {
			return `add \`apiVersion: ${apiVersion}\` at the top.`;
		}

		case 'kind': {
			return 'add `kind: Cluster` at the top.';
		}

		default: {
			return `add ${path
				.split('.')
				.at(-1)
				?.replace(/\[\d+]$/, '')} with a value.`;
		}
	}
}

function wrongTypeFix(expected: string, value: unknown, subject: string): string {
	if (subject === 'the file') {
		return `write a mapping of fields, starting with \`apiVersion: ${apiVersion}\` and \`kind: Cluster\`.`;
	}

	const numeric = expected === 'number' || expected === 'int';
	return `write ${article(expected)}${numeric && typeof value === 'string' ? ' without quotes' : ''}.`;
}

const typeNames: Record<string, string> = {array: 'a list', object: 'a mapping', int: 'a whole number'};

const article = (type: string): string => typeNames[type] ?? `a ${type}`;

/**
A value as a message shows it: scalars as written, collections only by kind, since they may be huge or
(through YAML aliases) circular.
*/
function describeValue(value: unknown): string {
	if (value === null) {
		return 'empty';
	}

	if (Array.isArray(value)) {
		return 'a list';
	}

	if (value instanceof Uint8Array) {
		return 'binary data';
	}

	switch (typeof value) {
		case 'string': {
			return `${show(value)} (a string)`;
		}

		case 'number':
		case 'boolean':
		case 'bigint': {
			return `${String(value)} (a ${typeof value})`;
		}

		default: {
			return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
		}
	}
}

function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
	let current = data;
	for (const segment of path) {
		if (current === null || typeof current !== 'object') {
			return undefined;
		}

		current = (current as Record<PathSegment, unknown>)[segment];
	}

	return current;
}

/** The fields the schema knows at a path, for suggestions. */
function knownFields(path: readonly PathSegment[]): string[] {
	let schema: z.core.$ZodType = clusterSchema;
	for (const segment of path) {
		schema = unwrap(schema);
		const def = schema._zod.def as {type: string; shape?: Record<string, z.core.$ZodType>; element?: z.core.$ZodType};
		const next = typeof segment === 'number' ? def.element : def.shape?.[segment];
		if (!next) {
			return [];
		}

		schema = next;
	}

	const def = unwrap(schema)._zod.def as {shape?: Record<string, unknown>};
	return Object.keys(def.shape ?? {});
}

function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
	let current = schema;
	for (;;) {
		const def = current._zod.def as {innerType?: z.core.$ZodType};
		if (!def.innerType) {
			return current;
		}

		current = def.innerType;
	}
}

/** The known name nearest a typo, when it is near enough to be what was meant. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
	let best: string | undefined;
	let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
	for (const candidate of candidates) {
		const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
		if (distance < bestDistance) {
			best = candidate;
			bestDistance = distance;
		}
	}

	return best;
}

function editDistance(a: string, b: string): number {
	let previous = Array.from({length: b.length + 1}, (_, index) => index);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		for (let j = 1; j <= b.length; j++) {
			const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
			current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
		}

		previous = current;
	}

	return previous[b.length] ?? 0;
}
