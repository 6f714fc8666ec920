import type {StatusReport} from './report.ts';

/** The verdict line: healthy, or how many problems. */
export const verdictOf = (report: Pick<StatusReport, 'problems'>): string =>
	report.problems.length === 0
		? 'healthy'
		: `degraded: ${report.problems.length} ${report.problems.length === 1 ? 'problem' : 'problems'}`;

/** Rows of cells as columns padded to their widest cell, two spaces apart, without trailing spaces. */
export function alignColumns(rows: readonly (readonly string[])[]): string[] {
	const widths = rows.reduce<number[]>(
		(widest, row) => row.map((text, index) => Math.max(widest[index] ?? 0, text.length)),
		[],
	);
	return rows.map((row) =>
		row
			.map((text, index) => text.padEnd(widths[index] ?? 0))
			.join('  ')
			.trimEnd(),
	);
}

/** `kubeha status` without a terminal: the table, the cluster-wide facts, the verdict and each problem. */
export function formatStatusTable(report: StatusReport): string {
	return [
		`cluster ${report.cluster}, checked ${report.checkedAt}`,
		'',
		...alignColumns([report.columns, ...report.rows.map((row) => row.map((value) => value.text))]),
		'',
		...alignColumns(report.facts.map((fact) => [fact.label, fact.value.text])),
		'',
		verdictOf(report),
		...report.problems.flatMap((problem) => [
			`✖ ${problem.what}`,
			`    why: ${problem.why}`,
			`    fix: ${problem.fix}`,
		]),
		...report.warnings.flatMap((warning) => [
			`⚠ ${warning.what}`,
			`    why: ${warning.why}`,
			`    fix: ${warning.fix}`,
		]),
	].join('\n');
}
