import type {Key} from 'ink';
import {expandAddresses, isAddressList} from '../../wizard/addresses.ts';
import {type NodeField, nodeCellId, nodeFields, readNodeField} from '../../wizard/node-edits.ts';
import type {WizardState} from '../../wizard/state.ts';
import {editText, type TextEdit, textEdit} from '../components/use-text-field-state.ts';
import type {ScreenResult} from './screen-result.ts';

export type Cell = {readonly row: number; readonly field: NodeField};

/** A cell of the table, the "add a node" line or the "continue" line under it. */
export type NodesFocus = Cell | 'add' | 'continue';

export type NodesState = {
	readonly kind: 'nodes';
	readonly focus: NodesFocus;
	/** The focused cell's text as typed. */
	readonly edit: TextEdit;
};

function cellText(wizard: WizardState, cell: Cell): string {
	const node = wizard.answers.spec.nodes[cell.row];
	return wizard.invalid[nodeCellId(cell.row, cell.field)]?.text ?? (node ? readNodeField(node, cell.field) : '');
}

export function focusNodes(wizard: WizardState, focus: NodesFocus): NodesState {
	return {kind: 'nodes', focus, edit: textEdit(typeof focus === 'string' ? '' : cellText(wizard, focus))};
}

/** Starts at the first address still to fill in (where a pasted range goes), else at the first node. */
export function initialNodes(wizard: WizardState): NodesState {
	const {nodes} = wizard.answers.spec;
	const empty = nodes.findIndex((node) => node.address === '');
	if (nodes.length === 0) {
		return focusNodes(wizard, 'add');
	}

	return focusNodes(wizard, empty === -1 ? {row: 0, field: 'name'} : {row: empty, field: 'address'});
}

function vertical(focus: NodesFocus, rows: number, direction: 1 | -1): NodesFocus {
	if (focus === 'continue') {
		return direction === 1 ? focus : 'add';
	}

	if (focus === 'add') {
		return direction === 1 ? 'continue' : rows > 0 ? {row: rows - 1, field: 'name'} : focus;
	}

	const row = focus.row + direction;
	return row < 0 ? focus : row >= rows ? 'add' : {...focus, row};
}

function horizontal(cell: Cell, rows: number, direction: 1 | -1): NodesFocus {
	const column = nodeFields.indexOf(cell.field) + direction;
	if (column >= 0 && column < nodeFields.length) {
		return {...cell, field: nodeFields[column] ?? cell.field};
	}

	const row = cell.row + direction;
	if (row < 0) {
		return cell;
	}

	return row >= rows ? 'add' : {row, field: direction === 1 ? 'name' : 'roles'};
}

/** Enter in a cell: a list of addresses fills the rows below; either way the focus goes to the next row to fill. */
function enterCell(state: NodesState, cell: Cell, rows: number, wizard: WizardState): ScreenResult<NodesState> {
	const below = (offset: number): NodesFocus =>
		cell.row + offset < rows ? {...cell, row: cell.row + offset} : 'continue';
	if (cell.field !== 'address' || !isAddressList(state.edit.value)) {
		return {screen: focusNodes(wizard, below(1))};
	}

	const expanded = expandAddresses(state.edit.value);
	const filled = 'error' in expanded ? 0 : expanded.addresses.length;
	return {
		screen: filled === 0 ? state : {...state, focus: below(filled)},
		action: {type: 'expand-addresses', index: cell.row},
	};
}

/** Leaving a cell is when its answer is checked: the move, with the cell it left. */
const leaving = (focus: NodesFocus, result: ScreenResult<NodesState>): ScreenResult<NodesState> =>
	typeof focus === 'string' ? result : {...result, action: {type: 'leave', id: nodeCellId(focus.row, focus.field)}};

export function nodesKey(state: NodesState, input: string, key: Key, wizard: WizardState): ScreenResult<NodesState> {
	const rows = wizard.answers.spec.nodes.length;
	const {focus} = state;
	if (key.upArrow || key.downArrow) {
		return leaving(focus, {screen: focusNodes(wizard, vertical(focus, rows, key.upArrow ? -1 : 1))});
	}

	if (typeof focus === 'string') {
		if (key.return) {
			return focus === 'continue'
				? {screen: state, action: {type: 'next'}}
				: {screen: focusNodes(wizard, {row: rows, field: 'name'}), action: {type: 'add-node'}};
		}

		return {screen: state};
	}

	if (key.tab) {
		return leaving(focus, {screen: focusNodes(wizard, horizontal(focus, rows, key.shift ? -1 : 1))});
	}

	if (key.return) {
		const entered = enterCell(state, focus, rows, wizard);
		return entered.action ? entered : leaving(focus, entered);
	}

	if (key.ctrl && input === 'd') {
		const remaining = rows - 1;
		const next: NodesFocus = remaining === 0 ? 'add' : {...focus, row: Math.min(focus.row, remaining - 1)};
		return {screen: {...state, focus: next}, action: {type: 'remove-node', index: focus.row}};
	}

	const edited = editText(state.edit, input, key);
	return edited
		? {
				screen: {...state, edit: edited},
				action: {type: 'edit-node', index: focus.row, field: focus.field, text: edited.value},
			}
		: {screen: state};
}
