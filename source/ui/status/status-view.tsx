import {Box, Text} from 'ink';
import {useCallback, useRef, useState} from 'react';
import type {StatusReport} from '../../status/report.ts';
import {verdictOf} from '../../status/table.ts';
import {KeyHints} from '../components/key-hints.tsx';
import {CellTable} from './cell-table.tsx';
import {ProblemList} from './problem-list.tsx';
import {toneColors} from './tones.ts';
import {useQuitKey} from './use-quit-key.ts';
import {type ProbeReport, useStatusProbe} from './use-status-probe.ts';

export type StatusViewProps = {
	/** One probe of the cluster, judged: probeCluster, then statusReport. */
	readonly probe: ProbeReport;
	/** Probe again every `intervalMs` until q; otherwise once. */
	readonly watch: boolean;
	readonly intervalMs: number;
	/** Called once: after the only probe, or on q while watching, with the latest report (undefined if none). */
	readonly onExit: (report: StatusReport | undefined) => void;
};

/**
The cluster's status on a terminal, kept up to date while watching.

	cluster lab · checked 2026-11-22T07:25:23.310Z · next check in 5 s
	NODE  SSH  VIP   KEEPALIVED  HAPROXY  APISERVER  ETCD
	cp1   ok   held  MASTER 120  3/3 UP   ok         leader
	…
	VIP   10.0.0.100 on cp1
	…
	healthy
	q quit
*/
export function StatusView({probe, watch, intervalMs, onExit}: StatusViewProps) {
	const latest = useRef<StatusReport | undefined>(undefined);
	const exited = useRef(false);
	// Once exited, no more probes: the caller unmounts the view after its last frame.
	const [active, setActive] = useState(true);
	const exit = useCallback(() => {
		if (!exited.current) {
			exited.current = true;
			setActive(false);
			onExit(latest.current);
		}
	}, [onExit]);
	const state = useStatusProbe(probe, {
		active,
		watch,
		intervalMs,
		onSettled(report) {
			latest.current = report ?? latest.current;
			if (!watch) {
				exit();
			}
		},
	});
	useQuitKey(exit, watch && active);
	const {report} = state;
	const when = report ? `checked ${report.checkedAt}` : 'not checked yet';
	// The last frame, left on the terminal, says neither.
	const activity = !active
		? undefined
		: state.probing
			? 'checking…'
			: watch
				? `next check in ${intervalMs / 1000} s`
				: undefined;
	return (
		<Box flexDirection="column">
			<Text dimColor>{[report && `cluster ${report.cluster}`, when, activity].filter(Boolean).join(' · ')}</Text>
			{state.error ? <Text color="red">the last check failed: {state.error}</Text> : undefined}
			{report ? (
				<Box flexDirection="column" marginTop={1}>
					<CellTable headings={report.columns} rows={report.rows} />
					<Box flexDirection="column" marginTop={1}>
						<CellTable rows={report.facts.map((fact) => [{text: fact.label, tone: 'plain'}, fact.value])} />
					</Box>
					<Box flexDirection="column" marginTop={1}>
						<Text bold color={toneColors[report.problems.length === 0 ? 'ok' : 'bad']}>
							{verdictOf(report)}
						</Text>
						<ProblemList problems={report.problems} />
						<ProblemList problems={report.warnings} warnings />
					</Box>
				</Box>
			) : undefined}
			{watch && active ? <KeyHints hints={[['q', 'quit']]} /> : undefined}
		</Box>
	);
}
