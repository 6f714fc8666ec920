import {type AddNodeResult, addNodeToSpecText, type NodeToAdd} from '../spec/add-node.ts';
import type {Finding} from '../spec/finding.ts';
import type {NodeRole, ParsedCluster} from '../spec/schema.ts';
import type {Answers, NewNode} from './answers.ts';
import {type DiffLine, diffLines} from './review.ts';
import {draftText, type OpenedFile} from './serialize.ts';
import {rolesFor} from './topology.ts';

/** The node to add before anything is answered: a worker, the node most often added. */
const blankNewNode: NewNode = {name: '', address: '', group: 'worker'};

export const newNodeOf = (answers: Answers): NewNode => answers.newNode ?? blankNewNode;

/** The answers with some of the new node's fields set. */
export const withNewNode = (answers: Answers, patch: Partial<NewNode>): Answers => ({
	...answers,
	newNode: {...newNodeOf(answers), ...patch},
});

/** The roles of the new node: those of its group where the topology puts the load balancer. */
const rolesOf = (answers: Answers): NodeRole[] => rolesFor(newNodeOf(answers).group, answers.topology.placement);

/** Whether the new node has a keepalived priority: a load-balancer node, with keepalived. */
export const takesPriority = (answers: Answers): boolean =>
	answers.spec.loadBalancer.mode === 'keepalived-haproxy' && rolesOf(answers).includes('load-balancer');

/** The node as `kubeha add-node` takes it; a priority answered for another role is left out. */
export function nodeToAdd(answers: Answers): NodeToAdd {
	const {name, address, priority} = newNodeOf(answers);
	const prioritised = priority !== undefined && takesPriority(answers);
	return {name, address, roles: rolesOf(answers), ...(prioritised ? {priority} : {})};
}

/** Adding the node to cluster.yaml: the file as it is now, and `kubeha add-node`'s edit of it. */
export type Addition = {readonly file: string; readonly result: AddNodeResult};

export type NodeAddition = (answers: Answers) => Addition;

/**
Adds the node answered so far to the opened file as the wizard has saved it since: the same edit, the same checks
and the same notes as `kubeha add-node`. One result per answers object, since the TUI asks on every key press.
*/
export function nodeAddition(opened: OpenedFile): NodeAddition {
	const files = new WeakMap<ParsedCluster, string>();
	const additions = new WeakMap<Answers, Addition>();
	return (answers) => {
		const known = additions.get(answers);
		if (known) {
			return known;
		}

		const file = files.get(answers.spec) ?? draftText(answers.spec, opened);
		files.set(answers.spec, file);
		const addition = {file, result: addNodeToSpecText(file, nodeToAdd(answers))};
		additions.set(answers, addition);
		return addition;
	};
}

/**
What the wizard shows of an addition: its errors, and the warnings the node brings (an even number of etcd
members, a priority that takes the VIP over), not those the file had before. Their lines are of the edited text,
which is not on disk: like the draft's findings, they are named by path alone.
*/
export function additionFindings({result}: Addition): Finding[] {
	const shown = result.ok
		? [...result.findings.filter((finding) => finding.severity === 'error'), ...result.weaker]
		: result.findings;
	return shown.map(({line: _, column: __, ...finding}) => finding);
}

/** The lines of cluster.yaml that adding the node changes. */
export const additionDiff = ({file, result}: Addition): DiffLine[] =>
	result.ok ? diffLines('cluster.yaml', file, result.text, false) : [];

/** The priority the node gets: the one answered, else the one `kubeha add-node` picks (below every other). */
export const addedPriority = ({result}: Addition): number | undefined =>
	result.ok ? result.spec.nodes.at(-1)?.priority : undefined;
