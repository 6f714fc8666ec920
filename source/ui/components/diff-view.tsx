import {Box, Text} from 'ink';
import type {DiffLine} from '../../wizard/review.ts';

type Props = {
	readonly lines: readonly DiffLine[];
	/** The first line shown. */
	readonly offset: number;
	readonly height: number;
};

const styles: Record<DiffLine['kind'], {prefix: string; color?: string; dim?: boolean}> = {
	add: {prefix: '+', color: 'green'},
	remove: {prefix: '-', color: 'red'},
	hidden: {prefix: '-', color: 'red', dim: true},
	context: {prefix: ' '},
	hunk: {prefix: '', color: 'cyan'},
	note: {prefix: '', dim: true},
};

/**
A window on a unified diff, coloured: additions green, removals red, hunk headers cyan.

	@@ -1,3 +1,3 @@
	 global
	-  maxconn 2000
	+  maxconn 4000
*/
export function DiffView({lines, offset, height}: Props) {
	return (
		<Box flexDirection="column">
			{lines.slice(offset, offset + height).map((line, index) => {
				const style = styles[line.kind];
				return (
					// Lines repeat (blank ones, braces): their place in the file is their identity.
					// biome-ignore lint/suspicious/noArrayIndexKey: see above
					<Text key={offset + index} color={style.color} dimColor={style.dim} wrap="truncate-end">
						{`${style.prefix}${line.text}`}
					</Text>
				);
			})}
		</Box>
	);
}
