import {Box, Text} from 'ink';
import {type NodeField, nodeFields} from '../../wizard/node-edits.ts';
import type {FormFinding} from '../../wizard/wording.ts';
import {FindingsList} from '../components/findings-list.tsx';
import {TextField} from '../components/text-field.tsx';
import {type TextEdit, textEdit} from '../components/use-text-field-state.ts';
import type {NodesFocus} from './use-nodes-state.ts';

/** A node as the table shows it: each field's text and whether a finding or a refused input is on it. */
export type NodeRow = {
	readonly cells: Readonly<Record<NodeField, string>>;
	readonly flagged: readonly NodeField[];
};

type Props = {
	readonly rows: readonly NodeRow[];
	readonly focus: NodesFocus;
	readonly edit: TextEdit;
	readonly explanation: string;
	/** Why typed text was not taken, cell by cell. */
	readonly inputErrors: readonly string[];
	readonly findings: readonly FormFinding[];
	/** How many findings are shown in full; the rest are counted. */
	readonly findingsLimit?: number;
};

/** Name and address keep their columns; roles take what is left (and are cut on narrow terminals). */
const widths: Record<Exclude<NodeField, 'roles'>, number> = {name: 14, address: 20};

function Cell({
	row,
	index,
	field,
	focus,
	edit,
}: {
	row: NodeRow;
	index: number;
	field: NodeField;
	focus: NodesFocus;
	edit: TextEdit;
}) {
	const focused = typeof focus !== 'string' && focus.row === index && focus.field === field;
	const size = field === 'roles' ? {flexGrow: 1} : {width: widths[field], flexShrink: 0};
	return (
		<Box {...size}>
			<Text wrap="truncate-end" color={row.flagged.includes(field) ? 'red' : focused ? 'cyan' : undefined}>
				<TextField edit={focused ? edit : textEdit(row.cells[field])} focused={focused} placeholder="(none)" />
			</Text>
		</Box>
	);
}

/**
The nodes, one per row; every cell is edited in place.

	  name          address             roles
	❯ cp1           192.168.1.91        control-plane, load-balancer
	  worker1       (none)              worker
	  + add a node
	  Continue →
*/
export function NodesScreen({rows, focus, edit, explanation, inputErrors, findings, findingsLimit = 3}: Props) {
	const line = (item: 'add' | 'continue', label: string) => (
		<Text
			color={focus === item ? 'cyan' : undefined}
			bold={focus === item}
		>{`${focus === item ? '❯' : ' '} ${label}`}</Text>
	);
	return (
		<Box flexDirection="column">
			<Box>
				<Box width={2} flexShrink={0} />
				{nodeFields.map((field) => {
					const current = typeof focus !== 'string' && focus.field === field;
					return (
						<Box key={field} {...(field === 'roles' ? {flexGrow: 1} : {width: widths[field], flexShrink: 0})}>
							<Text dimColor={!current} color={current ? 'cyan' : undefined} bold={current}>
								{current ? `[${field}]` : field}
							</Text>
						</Box>
					);
				})}
			</Box>
			{rows.map((row, index) => (
				// biome-ignore lint/suspicious/noArrayIndexKey: rows are positions in the table; names are being typed
				<Box key={index}>
					<Box width={2} flexShrink={0}>
						<Text color="cyan">{typeof focus !== 'string' && focus.row === index ? '❯' : ' '}</Text>
					</Box>
					<Cell row={row} index={index} field="name" focus={focus} edit={edit} />
					<Cell row={row} index={index} field="address" focus={focus} edit={edit} />
					<Cell row={row} index={index} field="roles" focus={focus} edit={edit} />
				</Box>
			))}
			{line('add', '+ add a node')}
			{line('continue', 'Continue →')}
			<Box flexDirection="column" marginTop={1}>
				<Text dimColor>{explanation}</Text>
				{inputErrors.map((message) => (
					<Text key={message} color="red">{`✖ ${message}`}</Text>
				))}
				<FindingsList findings={findings} limit={findingsLimit} />
			</Box>
		</Box>
	);
}
