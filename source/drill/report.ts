// The drill's report: the rounds and their medians, as a text table or one JSON document.
import type {FaultName} from './fault-names.ts';
import type {RoundReport} from './round.ts';

export type DrillReport = {
	readonly cluster: string;
	readonly vip: string;
	/** What the probes asked, and how often. */
	readonly probe: {readonly url: string; readonly intervalMs: number; readonly timeoutMs: number};
	readonly fault: FaultName;
	readonly rounds: readonly RoundReport[];
	/** Medians over the rounds (of those that have the figure). */
	readonly median: MedianFigures;
	/** Why the drill stopped before its last round. */
	readonly stopped?: string;
};

export type MedianFigures = {
	readonly vipMovedAfterMs?: number;
	readonly apiBackAfterMs?: number;
	readonly lastFailureAfterMs?: number;
	readonly failedRequests?: number;
	readonly restoreFailedRequests?: number;
};

/** The middle value, the upper of the two middles for an even count; undefined for none. */
export function median(values: readonly number[]): number | undefined {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

const defined = (values: readonly (number | undefined)[]): number[] =>
	values.filter((value): value is number => value !== undefined);

export function medianFigures(rounds: readonly RoundReport[]): MedianFigures {
	const entries = {
		vipMovedAfterMs: median(defined(rounds.map((round) => round.failover.vipMovedAfterMs))),
		apiBackAfterMs: median(defined(rounds.map((round) => round.failover.apiBackAfterMs))),
		lastFailureAfterMs: median(defined(rounds.map((round) => round.failover.lastFailureAfterMs))),
		failedRequests: median(rounds.map((round) => round.failover.failedRequests)),
		restoreFailedRequests: median(rounds.map((round) => round.restore.failedRequests)),
	};
	return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));
}

const seconds = (ms: number | undefined): string => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);

/** Columns padded to their widest cell, two spaces apart. */
function table(rows: readonly (readonly string[])[]): string {
	const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
	return rows
		.map((row) =>
			row
				.map((cell, column) => cell.padEnd(widths[column] ?? 0))
				.join('  ')
				.trimEnd(),
		)
		.join('\n');
}

const failures = (failed: number, requests: number): string => `${failed} of ${requests}`;

/** The report for a terminal: what was done, one row per round, the medians, and what went wrong. */
export function formatReport(report: DrillReport): string {
	const [first] = report.rounds;
	const header = [
		'round',
		'holder',
		'VIP moved to',
		'after',
		'API back after',
		'last failure at',
		'failed requests',
		'while restoring',
		'whole again after',
	];
	const rows = report.rounds.map((round) => [
		String(round.round),
		round.node,
		round.failover.newHolder ?? 'stayed',
		seconds(round.failover.vipMovedAfterMs),
		round.failover.failedRequests === 0 ? 'no failure' : seconds(round.failover.apiBackAfterMs),
		seconds(round.failover.lastFailureAfterMs),
		failures(round.failover.failedRequests, round.failover.requests),
		failures(round.restore.failedRequests, round.restore.requests),
		seconds(round.restore.wholeAfterMs),
	]);
	const {median: middle} = report;
	const medianRow = [
		'median',
		'',
		'',
		seconds(middle.vipMovedAfterMs),
		seconds(middle.apiBackAfterMs),
		seconds(middle.lastFailureAfterMs),
		String(middle.failedRequests ?? '-'),
		String(middle.restoreFailedRequests ?? '-'),
		'',
	];
	const problems = report.rounds.flatMap((round) =>
		round.problems.map((problem) => `round ${round.round}: ${problem}`),
	);
	const errors = errorSummary(report.rounds);
	return [
		`kubeha drill on ${report.cluster}: ${first?.action ?? report.fault} on the VIP holder; GET ${report.probe.url} every ${report.probe.intervalMs} ms (failed: no 200 within ${report.probe.timeoutMs} ms).`,
		'',
		table([header, ...rows, ...(report.rounds.length > 1 ? [medianRow] : [])]),
		...(errors === '' ? [] : ['', `Failed requests by reason: ${errors}.`]),
		...(problems.length === 0 ? [] : ['', 'Problems:', ...problems.map((problem) => `  - ${problem}`)]),
		...(report.stopped === undefined ? [] : ['', report.stopped]),
	].join('\n');
}

/** Failed requests of the failovers by reason, over all rounds: `ECONNREFUSED 12, timeout 3`. */
function errorSummary(rounds: readonly RoundReport[]): string {
	const counts = new Map<string, number>();
	for (const round of rounds) {
		for (const [reason, count] of Object.entries(round.failover.errors)) {
			counts.set(reason, (counts.get(reason) ?? 0) + count);
		}
	}

	return [...counts]
		.sort(([, a], [, b]) => b - a)
		.map(([reason, count]) => `${reason} ${count}`)
		.join(', ');
}
