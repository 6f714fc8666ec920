import {Document, isMap, isNode, isSeq, parseDocument, type YAMLMap} from 'yaml';
import {type ClusterSpec, hasRole, loadBalancerNodes} from './cluster.ts';
import {error, type Finding, hasErrors, warning} from './finding.ts';
import {loadSpec} from './load.ts';
import {nodePath} from './rules/rule.ts';
import type {NodeRole} from './schema.ts';

/** The node `kubeha add-node` adds, from its flags. */
export type NodeToAdd = {
	readonly name: string;
	readonly address: string;
	readonly roles: readonly NodeRole[];
	readonly priority?: number;
};

export type AddNodeResult =
	| {
			readonly ok: false;
			/** Why the node cannot be added to this text: its own errors, or a name or address already taken. */
			readonly findings: readonly Finding[];
	  }
	| {
			readonly ok: true;
			/** cluster.yaml with the node added, every other line as written. */
			readonly text: string;
			/** The effective spec of that text. */
			readonly spec: ClusterSpec;
			/** Every finding of the result, with lines in the new text; errors mean it must not be written. */
			readonly findings: readonly Finding[];
			/** Where the result is weaker than the spec before: warnings it did not have, a priority that takes the VIP. */
			readonly weaker: readonly Finding[];
			/** What kubeha chose for the operator (a priority, priorities written out), one sentence each. */
			readonly notes: readonly string[];
	  };

/** How far below the lowest load-balancer node kubeha puts a new one, as the default priorities are spaced. */
const priorityStep = 10;

/**
The spec with one more node, as the operator would have written it: the entry appended to `nodes` in the style of
the entries before it (flow `{…}` or block), every comment and other line kept. A new load-balancer node without
a priority gets one below every other, so that it never takes the VIP; when adding it would shift the default
priorities of the others, their current priorities are written out, so that none of them changes. Pure.
*/
export function addNodeToSpecText(text: string, node: NodeToAdd): AddNodeResult {
	const before = loadSpec(text);
	if (!before.spec || !before.valid) {
		return {ok: false, findings: before.findings.filter((finding) => finding.severity === 'error')};
	}

	const taken = takenFindings(before.spec, node);
	if (taken.length > 0) {
		return {ok: false, findings: taken};
	}

	const document = parseDocument(text);
	const loadBalancing = before.spec.loadBalancer.mode === 'keepalived-haproxy' && node.roles.includes('load-balancer');
	const chosen = loadBalancing && node.priority === undefined ? priorityBelowAll(before.spec) : undefined;
	const added = {...node, ...(chosen === undefined ? {} : {priority: chosen})};
	// Adding a node may shift the default priorities of the others: those keep the priority they have. Writing
	// one out may shift the rest again, so until none moves (at most once per load-balancer node).
	const pins = new Map<string, number>();
	let after = withNode(text, document, added, pins);
	let result = loadSpec(after);
	while (loadBalancing && result.spec) {
		const shifted = [...shiftedPriorities(before.spec, result.spec)].filter(([name]) => !pins.has(name));
		if (shifted.length === 0) {
			break;
		}

		for (const [name, priority] of shifted) {
			pins.set(name, priority);
		}

		after = withNode(text, document, added, pins);
		result = loadSpec(after);
	}

	if (!result.spec) {
		return {ok: false, findings: result.findings};
	}

	const index = result.spec.nodes.length - 1;
	const known = new Set(before.findings.map(findingKey));
	const weaker = [
		...result.findings.filter((finding) => finding.severity === 'warning' && !known.has(findingKey(finding))),
		...(loadBalancing ? preemption(before.spec, result.spec, index) : []),
	];
	return {
		ok: true,
		text: after,
		spec: result.spec,
		findings: result.findings,
		weaker: hasErrors(result.findings) ? [] : weaker,
		notes: [
			...(chosen === undefined
				? []
				: [
						`${node.name} gets keepalived priority ${chosen}, below every other load-balancer node, so the VIP stays where it is (--priority sets another).`,
					]),
			...(pins.size === 0
				? []
				: [
						`${[...pins].map(([name, priority]) => `${name} keeps priority ${priority}`).join(', ')}: written into the spec, since the default priorities by list order would shift with ${node.name} added.`,
					]),
		],
	};
}

/** A finding's identity across the two versions: the same rule at the same place (new nodes come last). */
const findingKey = (finding: Finding) => `${finding.rule} ${finding.path}`;

function takenFindings(spec: ClusterSpec, node: NodeToAdd): Finding[] {
	return spec.nodes.flatMap((existing, index) => [
		...(existing.name === node.name
			? [
					error(
						'add-node-name-taken',
						nodePath(index, 'name'),
						`${nodePath(index, 'name')} is already "${node.name}"; node names are unique`,
						`choose another --name; to change ${node.name} itself, edit the spec and run kubeha apply.`,
					),
				]
			: []),
		...(existing.address === node.address
			? [
					error(
						'add-node-address-taken',
						nodePath(index, 'address'),
						`${nodePath(index, 'address')} of ${existing.name} is already ${node.address}; each node has its own address`,
						`check the --address of ${node.name}; if it replaces ${existing.name}, remove ${existing.name} first (kubeha remove-node).`,
					),
				]
			: []),
	]);
}

/** A priority below every load-balancer node's, spaced as the defaults are, or the largest free one below them. */
function priorityBelowAll(spec: ClusterSpec): number | undefined {
	const used = new Set(loadBalancerNodes(spec).flatMap((node) => node.priority ?? []));
	const lowest = Math.min(...used);
	if (!Number.isFinite(lowest)) {
		return undefined;
	}

	if (lowest - priorityStep >= 1) {
		return lowest - priorityStep;
	}

	return Array.from({length: lowest - 1}, (_, index) => lowest - 1 - index).find((candidate) => !used.has(candidate));
}

/** The nodes of `before` whose effective priority is not the same in `after`: name → the priority they had. */
function shiftedPriorities(before: ClusterSpec, after: ClusterSpec): Map<string, number> {
	const now = new Map(after.nodes.map((node) => [node.name, node.priority]));
	return new Map(
		loadBalancerNodes(before).flatMap((node) =>
			node.priority !== undefined && now.get(node.name) !== node.priority ? [[node.name, node.priority] as const] : [],
		),
	);
}

/** A warning when the new node's priority is above the node that holds the VIP: keepalived preempts. */
function preemption(before: ClusterSpec, after: ClusterSpec, index: number): Finding[] {
	const added = after.nodes[index];
	const holder = loadBalancerNodes(before).reduce<(typeof before.nodes)[number] | undefined>(
		(highest, node) => ((node.priority ?? 0) > (highest?.priority ?? 0) ? node : highest),
		undefined,
	);
	if (!added || !holder || added.priority === undefined || holder.priority === undefined) {
		return [];
	}

	if (!hasRole(added, 'load-balancer') || added.priority <= holder.priority) {
		return [];
	}

	const below = priorityBelowAll(before);
	return [
		warning(
			'add-node-takes-vip',
			nodePath(index, 'priority'),
			`${added.name} would have keepalived priority ${added.priority}, above ${holder.priority} of ${holder.name}, which holds the VIP: keepalived preempts, so the VIP moves to ${added.name} as soon as its keepalived starts, and API connections through ${holder.name} (kubectl watches, controllers, kubelets) are cut`,
			`give ${added.name} a priority below ${holder.priority}${below === undefined ? '' : ` (leave --priority out and kubeha picks ${below})`}; it then takes the VIP only when the nodes above it fail. (keepalived's nopreempt would keep the VIP in place too, but cluster.yaml has no field for it yet.)`,
		),
	];
}

/** A piece of text to put at a position of the original. */
type Insertion = {readonly at: number; readonly text: string};

/**
The spec's text with the node appended to `nodes` and the pinned priorities written out, as insertions into the
text itself: the document only says where things are, so every byte the edit does not touch stays as written
(comment spacing, indentation, quoting). A `nodes` written as a flow list `[…]` is printed back by the yaml package.
*/
function withNode(text: string, original: Document, node: NodeToAdd, pins: ReadonlyMap<string, number>): string {
	const nodes = original.get('nodes', true);
	const last = isSeq(nodes) ? nodes.items.at(-1) : undefined;
	if (!isSeq(nodes) || nodes.flow || !isMap(last) || !last.range) {
		return reprinted(original, node, pins);
	}

	// From the end back, so that earlier positions stay valid; at one position, the later insertion first, so that
	// the pieces end up in list order (the last entry's priority before the new entry).
	const insertions = [
		...nodes.items.flatMap((item) => {
			const pinned = isMap(item) ? pins.get(String(item.get('name'))) : undefined;
			return isMap(item) && pinned !== undefined ? [priorityInsertion(text, item, pinned)] : [];
		}),
		{at: lineEnd(text, last.range[1]), text: entryText(text, last, node)},
	]
		.map((insertion, order) => ({...insertion, order}))
		.sort((a, b) => b.at - a.at || b.order - a.order);
	const ending = text.endsWith('\n') ? text : `${text}\n`;
	return insertions.reduce((edited, {at, text: piece}) => edited.slice(0, at) + piece + edited.slice(at), ending);
}

/** Where the line holding the character before `position` ends: just after its newline. */
function lineEnd(text: string, position: number): number {
	const newline = text.indexOf('\n', Math.max(0, position - 1));
	return newline === -1 ? text.length + 1 : newline + 1;
}

/** What stands before a node's first character on its line: the indentation and the list's `- `. */
function linePrefix(text: string, position: number): string {
	return text.slice(text.lastIndexOf('\n', position - 1) + 1, position);
}

/** `{ a: 1 }` or `{a: 1}`, `[ a ]` or `[a]`: as the operator writes flow collections. */
const padded = (source: string) => /^[{[] /.test(source);

/** A value in flow style, padded or not. */
function flowText(value: unknown, padding: boolean): string {
	const document = new Document(value);
	if (isMap(document.contents) || isSeq(document.contents)) {
		document.contents.flow = true;
	}

	return document.toString({lineWidth: 0, flowCollectionPadding: padding}).trimEnd();
}

/** The new entry of `nodes`, laid out as the last entry is (flow or block, its indentation, its roles' style). */
function entryText(text: string, last: YAMLMap, node: NodeToAdd): string {
	const [start = 0, end = 0] = last.range ?? [];
	const prefix = linePrefix(text, start);
	const fields = {
		name: node.name,
		address: node.address,
		roles: [...node.roles],
		...(node.priority === undefined ? {} : {priority: node.priority}),
	};
	if (last.flow) {
		return `${prefix}${flowText(fields, padded(text.slice(start, end)))}\n`;
	}

	const keyIndent = ' '.repeat(prefix.length);
	const lines = Object.entries(fields).map(([key, value]) =>
		key === 'roles' ? `roles:${rolesText(text, last, node.roles)}` : `${key}: ${flowText(value, false)}`,
	);
	return `${prefix}${lines.join(`\n${keyIndent}`)}\n`;
}

/** The roles of a new block entry, as the last entry writes its roles: a block list, or `[a, b]`. */
function rolesText(text: string, last: YAMLMap, roles: readonly NodeRole[]): string {
	const written = last.get('roles', true);
	const [start = 0, end = 0] = (isSeq(written) ? written.range : undefined) ?? [];
	if (isSeq(written) && !written.flow) {
		const first: unknown = written.items[0];
		const itemPrefix = linePrefix(text, (isNode(first) ? first.range?.[0] : undefined) ?? start);
		return roles.map((role) => `\n${itemPrefix}${role}`).join('');
	}

	return ` ${flowText([...roles], padded(text.slice(start, end)))}`;
}

/** `priority: N` added to an existing entry: inside its braces, or as a line of its own below it. */
function priorityInsertion(text: string, item: YAMLMap, priority: number): Insertion {
	const [start = 0, end = 0] = item.range ?? [];
	if (item.flow) {
		const closing = text.lastIndexOf('}', end);
		const at = text.slice(0, closing).trimEnd().length;
		return {at, text: `, priority: ${priority}`};
	}

	return {at: lineEnd(text, end), text: `${' '.repeat(linePrefix(text, start).length)}priority: ${priority}\n`};
}

/** The fallback for a flow list of nodes: the edited document printed by the yaml package. */
function reprinted(original: Document, node: NodeToAdd, pins: ReadonlyMap<string, number>): string {
	const document = original.clone();
	const nodes = document.get('nodes', true);
	if (!isSeq(nodes)) {
		throw new Error('a valid spec has a list of nodes');
	}

	for (const item of nodes.items) {
		const pinned = isMap(item) ? pins.get(String(item.get('name'))) : undefined;
		if (isMap(item) && pinned !== undefined) {
			item.set('priority', pinned);
		}
	}

	nodes.items.push(document.createNode({...node, roles: [...node.roles]}));
	return document.toString({lineWidth: 0, flowCollectionPadding: false});
}
