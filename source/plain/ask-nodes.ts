import {expandAddresses, isAddressList} from '../wizard/addresses.ts';
import {formatRoles, parseRoles} from '../wizard/node-edits.ts';
import {currentFindings, currentQuestions, type WizardState, wizardReducer} from '../wizard/state.ts';
import {leaveStep} from './ask-form.ts';
import {findingLines, nodesTable} from './print.ts';
import type {Asker} from './prompts.ts';

const checkAddress = (text: string): string | true => {
	if (!isAddressList(text)) {
		return text.trim() === '' ? 'A node needs an address.' : true;
	}

	const expanded = expandAddresses(text);
	return 'error' in expanded ? expanded.error : true;
};

/** Sets a node's address; a list or a range fills that node and the ones after it. */
function withAddress(state: WizardState, index: number, text: string): WizardState {
	const typed = wizardReducer(state, {type: 'edit-node', index, field: 'address', text});
	return wizardReducer(typed, {type: 'expand-addresses', index});
}

async function askAddress(state: WizardState, index: number, asker: Asker): Promise<WizardState> {
	const node = state.answers.spec.nodes[index];
	const text = await asker.text({
		message: `Address of ${node?.name}`,
		default: node?.address ?? '',
		validate: checkAddress,
	});
	return withAddress(state, index, text);
}

async function editNode(state: WizardState, index: number, asker: Asker): Promise<WizardState> {
	const node = state.answers.spec.nodes[index];
	if (!node) {
		return state;
	}

	const name = await asker.text({message: 'Name', default: node.name});
	let current = wizardReducer(state, {type: 'edit-node', index, field: 'name', text: name});
	current = await askAddress(current, index, asker);
	const roles = await asker.text({
		message: 'Roles (control-plane or cp, worker, etcd, load-balancer or lb)',
		default: formatRoles(node.roles),
		validate(text) {
			const parsed = parseRoles(text);
			return 'error' in parsed ? parsed.error : true;
		},
	});
	return wizardReducer(current, {type: 'edit-node', index, field: 'roles', text: roles});
}

async function pickNode(state: WizardState, asker: Asker, message: string): Promise<number> {
	const choices = state.answers.spec.nodes.map((node, index) => ({
		value: String(index),
		name: `${node.name} ${node.address || '(no address)'} ${formatRoles(node.roles)}`,
	}));
	return Number(await asker.choose(message, choices));
}

type TableAction = 'continue' | 'edit' | 'add' | 'remove';

/**
The nodes table, line by line: first the address of every node that has none (a pasted range fills several), then
a menu to edit, add or remove nodes until the operator goes on.
*/
export async function askNodes(state: WizardState, asker: Asker): Promise<WizardState> {
	let current = state;
	asker.print(`  ${currentQuestions(current)[0]?.explanation(current.answers) ?? ''}`);
	for (let index = current.answers.spec.nodes.findIndex((node) => node.address === ''); index !== -1; ) {
		current = await askAddress(current, index, asker);
		index = current.answers.spec.nodes.findIndex((node) => node.address === '');
	}

	for (;;) {
		for (const line of [
			...nodesTable(current.answers.spec.nodes),
			...findingLines(currentFindings(current), current.environment.configPath),
		]) {
			asker.print(line);
		}

		const choices: {value: TableAction; name: string}[] = [
			{value: 'continue', name: 'Continue'},
			{value: 'edit', name: 'Edit a node'},
			{value: 'add', name: 'Add a node'},
			...(current.answers.spec.nodes.length > 0 ? [{value: 'remove' as const, name: 'Remove a node'}] : []),
		];
		switch (await asker.choose('Nodes', choices, 'continue')) {
			case 'continue': {
				const left = await leaveStep(current, asker);
				if (left.history !== current.history) {
					return left;
				}

				break;
			}

			case 'edit': {
				current = await editNode(current, await pickNode(current, asker, 'Edit which node?'), asker);
				break;
			}

			case 'add': {
				current = wizardReducer(current, {type: 'add-node'});
				current = await editNode(current, current.answers.spec.nodes.length - 1, asker);
				break;
			}

			case 'remove': {
				current = wizardReducer(current, {
					type: 'remove-node',
					index: await pickNode(current, asker, 'Remove which node?'),
				});
				break;
			}
		}
	}
}
