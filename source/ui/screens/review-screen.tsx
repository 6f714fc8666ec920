import {Box, Text} from 'ink';
import type {FileStatus, ReviewedFile} from '../../wizard/review.ts';
import type {FormFinding} from '../../wizard/wording.ts';
import {DiffView} from '../components/diff-view.tsx';
import {FindingsList} from '../components/findings-list.tsx';
import type {ReviewLoad} from '../hooks/use-app-state.ts';

type Props = {
	readonly load: ReviewLoad;
	readonly selected: number;
	readonly offset: number;
	readonly findings: readonly FormFinding[];
	readonly summary: readonly string[];
	/** Lines for the file list and for the diff. */
	readonly listHeight: number;
	readonly diffHeight: number;
};

const statusMarks: Record<FileStatus, {mark: string; color?: string}> = {
	new: {mark: '+', color: 'green'},
	changed: {mark: '~', color: 'yellow'},
	unchanged: {mark: '=', color: undefined},
};

/** The slice of the list around the selected file. */
const windowOf = (files: readonly ReviewedFile[], selected: number, height: number) => {
	const start = Math.min(Math.max(0, selected - Math.floor(height / 2)), Math.max(0, files.length - height));
	return {start, shown: files.slice(start, start + height)};
};

function FileDiff({
	file,
	offset,
	height,
}: {
	readonly file: ReviewedFile;
	readonly offset: number;
	readonly height: number;
}) {
	const octal = `0${file.mode.toString(8)}`;
	const total = file.lines.length;
	return (
		<Box flexDirection="column" marginTop={1}>
			<Text
				bold
			>{`── ${file.node}:${file.path} (${file.status}, ${octal}${file.secret ? ', secrets masked' : ''}) ──`}</Text>
			{file.status === 'unchanged' ? (
				<Text dimColor>The host has this file exactly; nothing changes.</Text>
			) : (
				<>
					<DiffView lines={file.lines} offset={offset} height={height} />
					<Text dimColor>{`lines ${Math.min(offset + 1, total)}-${Math.min(offset + height, total)} of ${total}`}</Text>
				</>
			)}
		</Box>
	);
}

/**
The files each host gets, new, changed or unchanged, and the selected one as a diff against the host's copy.

	5 hosts, 34 files: 30 new, 3 changed, 1 unchanged.
	❯ + cp1:/etc/haproxy/haproxy.cfg
	  ~ cp1:/etc/keepalived/keepalived.conf
	── cp1:/etc/haproxy/haproxy.cfg (new, 0644) ──
	+global
*/
export function ReviewScreen({load, selected, offset, findings, summary, listHeight, diffHeight}: Props) {
	if (findings.some((finding) => finding.severity === 'error')) {
		return (
			<Box flexDirection="column">
				<Text>Fix these first (Esc goes back to the screens); nothing can be rendered until then:</Text>
				<FindingsList findings={findings} />
			</Box>
		);
	}

	if (load.status !== 'ready') {
		return load.status === 'failed' ? (
			<Text color="red">{`The files could not be rendered: ${load.message}`}</Text>
		) : (
			<Text>Rendering every host's files…</Text>
		);
	}

	const {files} = load.review;
	const {start, shown} = windowOf(files, selected, listHeight);
	const current = files[selected];
	return (
		<Box flexDirection="column">
			{summary.map((line) => (
				<Text key={line}>{line}</Text>
			))}
			<FindingsList findings={findings} />
			<Box flexDirection="column" marginTop={1}>
				{shown.map((entry, index) => (
					<Text key={`${entry.node}:${entry.path}`} color={statusMarks[entry.status].color} wrap="truncate-end">
						{`${start + index === selected ? '❯' : ' '} ${statusMarks[entry.status].mark} ${entry.node}:${entry.path}`}
					</Text>
				))}
				{files.length === 0 ? <Text dimColor>No host gets a file yet.</Text> : undefined}
			</Box>
			{current ? <FileDiff file={current} offset={offset} height={diffHeight} /> : undefined}
		</Box>
	);
}
