import {Box, Text} from 'ink';
import type {Cell} from '../../status/cell.ts';
import {toneColors} from './tones.ts';

type Props = {
	/** Column headings, in bold above the rows; none for a list of label and value. */
	readonly headings?: readonly string[];
	/** Rows of cells, the first naming the row (a node, a label). */
	readonly rows: readonly (readonly Cell[])[];
};

/**
Cells in columns as wide as their widest cell, two spaces apart, each coloured by its tone.

	NODE  SSH  VIP   KEEPALIVED  HAPROXY  APISERVER  ETCD
	cp1   ok   held  MASTER 120  3/3 UP   ok         leader
*/
export function CellTable({headings, rows}: Props) {
	const count = Math.max(headings?.length ?? 0, ...rows.map((row) => row.length));
	const widths = Array.from({length: count}, (_, index) =>
		Math.max(headings?.[index]?.length ?? 0, ...rows.map((row) => row[index]?.text.length ?? 0)),
	);
	// Every column but the last as wide as its widest cell plus the gap; the last takes the rest and wraps in place.
	const width = (index: number) => (index === count - 1 ? undefined : (widths[index] ?? 0) + 2);
	return (
		<Box flexDirection="column">
			{headings ? (
				<Box>
					{headings.map((heading, index) => (
						<Box key={heading} width={width(index)} flexShrink={index === count - 1 ? 1 : 0}>
							<Text bold>{heading}</Text>
						</Box>
					))}
				</Box>
			) : undefined}
			{rows.map((row) => (
				<Box key={row[0]?.text}>
					{row.map((value, index) => (
						// biome-ignore lint/suspicious/noArrayIndexKey: a row's cells are positional and never move.
						<Box key={index} width={width(index)} flexShrink={index === count - 1 ? 1 : 0}>
							<Text color={toneColors[value.tone]}>{value.text}</Text>
						</Box>
					))}
				</Box>
			))}
		</Box>
	);
}
