import {isDeepStrictEqual} from 'node:util';
import {Document, isPair, isScalar, isSeq, visit} from 'yaml';
import {completeSpec} from '../spec/defaults.ts';
import {clusterSchema, type ParsedCluster} from '../spec/schema.ts';

/**
Fields written even when they equal the default: a default that changes in a later kubeha must not upgrade a running
cluster behind its operator's back.
*/
const pinned = new Set(['kubernetes.version']);

type Plain = {[key: string]: unknown};
type Path = readonly (string | number)[];

const isObject = (value: unknown): value is Plain =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** Paths of every scalar (and of every list of scalars, such as roles), depth first. */
function leafPaths(value: unknown, path: Path = []): Path[] {
	if (isObject(value)) {
		return Object.entries(value).flatMap(([key, field]) => leafPaths(field, [...path, key]));
	}

	if (Array.isArray(value) && value.some((item) => isObject(item))) {
		return value.flatMap((item, index) => leafPaths(item, [...path, index]));
	}

	return [path];
}

/** A copy without the field at `path`, and without the objects that leaves empty (their defaults come back). */
function without(value: unknown, path: Path): unknown {
	const [head, ...rest] = path;
	if (head === undefined || !isObject(value)) {
		return value;
	}

	if (rest.length === 0) {
		const {[head]: _, ...others} = value;
		return others;
	}

	const field = value[head];
	const reduced = Array.isArray(field)
		? field.map((item, index) => (index === rest[0] ? without(item, rest.slice(1)) : item))
		: without(field, rest);
	if (isObject(reduced) && Object.keys(reduced).length === 0) {
		const {[head]: _, ...others} = value;
		return others;
	}

	return {...value, [head]: reduced};
}

/** A node's name, address and roles have no default; trying to leave them out is wasted work. */
const requiredNodeField = (path: Path): boolean =>
	path[0] === 'nodes' && ['name', 'address', 'roles'].includes(String(path[2]));

const effective = (value: unknown) => {
	const parsed = clusterSchema.safeParse(value);
	return parsed.success ? completeSpec(parsed.data) : undefined;
};

/**
The smallest spec that means the same: each field is left out when kubeha would derive the same effective spec
without it (a schema default, the LB port 8443 beside an API server, the VRRP id from the name, priorities by
order). A draft that is not of the schema's shape is kept whole.
*/
export function minimalSpec(spec: ParsedCluster): Plain {
	const target = effective(spec);
	let current: Plain = structuredClone(spec);
	if (!target) {
		return current;
	}

	for (const path of leafPaths(current)) {
		if (pinned.has(path.join('.')) || requiredNodeField(path)) {
			continue;
		}

		const candidate = without(current, path) as Plain;
		if (isDeepStrictEqual(effective(candidate), target)) {
			current = candidate;
		}
	}

	return current;
}

export const defaultHeader =
	'# Written by kubeha. Check it with `kubeha validate`; see what each host gets with `kubeha render`.\n';

/** The comment lines a file opens with (the operator's notes, an editor's schema line), with their newline. */
export function leadingComment(text: string): string {
	const lines = text.split('\n');
	const end = lines.findIndex((line) => !line.startsWith('#'));
	return end <= 0 ? '' : `${lines.slice(0, end).join('\n')}\n`;
}

/** Lists of names read best on one line: `roles: [control-plane, load-balancer]`. */
const flowLists = new Set(['roles', 'certSANs']);

/**
cluster.yaml for a draft: minimal, in the schema's order, roles on one line. `previous` is the file's current text:
its opening comment is kept, so that the operator's notes at the top survive the wizard.
*/
export function specToYaml(spec: ParsedCluster, previous?: string): string {
	const document = new Document(minimalSpec(spec));
	visit(document, {
		Pair(_, pair) {
			if (isPair(pair) && isScalar(pair.key) && flowLists.has(String(pair.key.value)) && isSeq(pair.value)) {
				pair.value.flow = true;
			}
		},
	});
	const header = (previous === undefined ? '' : leadingComment(previous)) || defaultHeader;
	return header + document.toString({lineWidth: 0, flowCollectionPadding: false});
}

/** The file the wizard opened: its spec and its text as written. */
export type OpenedFile = {readonly spec: ParsedCluster; readonly text: string};

/**
cluster.yaml for a draft: the opened file byte for byte (comments, layout) while the draft means the same, else the
draft written out with the opened file's opening comment.
*/
export const draftText = (spec: ParsedCluster, opened?: OpenedFile): string =>
	opened && isDeepStrictEqual(minimalSpec(spec), minimalSpec(opened.spec))
		? opened.text
		: specToYaml(spec, opened?.text);
