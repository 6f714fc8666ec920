import {type NodeRole, type NodeSpec, nodeRoles} from '../spec/schema.ts';
import {expandAddresses, isAddressList} from './addresses.ts';
import {type Answers, groupOf} from './answers.ts';
import {editSpec} from './edit.ts';
import type {InputError} from './question.ts';

export const nodeFields = ['name', 'address', 'roles'] as const;
export type NodeField = (typeof nodeFields)[number];

/** The path of a node's field, as findings name it; also the id of its cell in the table. */
export const nodeCellId = (index: number, field: NodeField): string => `nodes[${index}].${field}`;

const roleAliases: Readonly<Record<string, NodeRole>> = {
	cp: 'control-plane',
	lb: 'load-balancer',
	...Object.fromEntries(nodeRoles.map((role) => [role, role])),
};

export const formatRoles = (roles: readonly NodeRole[]): string => roles.join(', ');

/** Roles as typed: names or the short forms cp and lb, separated by commas or spaces. */
export function parseRoles(text: string): NodeRole[] | InputError {
	const roles: NodeRole[] = [];
	for (const word of text
		.toLowerCase()
		.split(/[\s,]+/)
		.filter(Boolean)) {
		const role = roleAliases[word];
		if (role === undefined) {
			return {error: `"${word}" is not a role; the roles are control-plane (cp), worker, etcd and load-balancer (lb).`};
		}

		roles.push(role);
	}

	return roles;
}

export const readNodeField = (node: NodeSpec, field: NodeField): string =>
	field === 'roles' ? formatRoles(node.roles) : node[field];

const replaceNode = (answers: Answers, index: number, change: (node: NodeSpec) => NodeSpec): Answers =>
	editSpec(answers, (spec) => ({...spec, nodes: spec.nodes.map((node, at) => (at === index ? change(node) : node))}));

/** The answers with one field of one node set from typed text (an address list is kept as typed; see `expandAddressCell`). */
export function writeNodeField(answers: Answers, index: number, field: NodeField, text: string): Answers | InputError {
	if (field !== 'roles') {
		return replaceNode(answers, index, (node) => ({...node, [field]: text.trim()}));
	}

	const roles = parseRoles(text);
	return 'error' in roles ? roles : replaceNode(answers, index, (node) => ({...node, roles}));
}

const nextFreeName = (nodes: readonly NodeSpec[], prefix: string): string => {
	const used = new Set(nodes.map((node) => node.name));
	let index = 1;
	while (used.has(`${prefix}${index}`)) {
		index++;
	}

	return `${prefix}${index}`;
};

const prefixOf = (roles: readonly NodeRole[]): string => {
	const group = groupOf({name: '', address: '', roles: [...roles]});
	return group === 'control-plane' ? 'cp' : group === 'load-balancer' ? 'lb' : group;
};

/** A new node with the given roles (a worker unless said), a free name and no address yet. */
export const addNode = (answers: Answers, roles: readonly NodeRole[] = ['worker']): Answers =>
	editSpec(answers, (spec) => ({
		...spec,
		nodes: [...spec.nodes, {name: nextFreeName(spec.nodes, prefixOf(roles)), address: '', roles: [...roles]}],
	}));

export const removeNode = (answers: Answers, index: number): Answers =>
	editSpec(answers, (spec) => ({...spec, nodes: spec.nodes.filter((_, at) => at !== index)}));

/**
When a node's address holds a list or a range (pasted "192.168.1.91-93"), gives the addresses to that node and the
ones after it in the table, adding nodes like the last one when the list is longer than the table.
*/
export function expandAddressCell(answers: Answers, index: number): Answers | InputError {
	const text = answers.spec.nodes[index]?.address ?? '';
	if (!isAddressList(text)) {
		return answers;
	}

	const expanded = expandAddresses(text);
	if ('error' in expanded) {
		return expanded;
	}

	let filled = answers;
	for (const [offset, address] of expanded.addresses.entries()) {
		const at = index + offset;
		const last = filled.spec.nodes.at(-1);
		if (at >= filled.spec.nodes.length && last) {
			filled = addNode(filled, last.roles);
		}

		filled = replaceNode(filled, at, (node) => ({...node, address}));
	}

	return filled;
}
