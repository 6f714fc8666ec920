import type {Finding} from '../spec/finding.ts';

/** How a finding reads on a terminal: where, what, which rule, then the fix on its own line. */
export function formatFinding(finding: Finding, file: string): string {
	const where = finding.line === undefined ? file : `${file}:${finding.line}:${finding.column ?? 1}`;
	const severity = finding.severity === 'error' ? 'error  ' : 'warning';
	return `${severity} ${where}  ${finding.message} [${finding.rule}]\n        fix: ${finding.fix}`;
}

/** Findings in file order, errors before warnings at the same place, then a one-line verdict. */
export function formatFindings(findings: readonly Finding[], file: string): string {
	const sorted = [...findings].sort(
		(a, b) =>
			(a.line ?? 0) - (b.line ?? 0) ||
			(a.column ?? 0) - (b.column ?? 0) ||
			Number(a.severity === 'warning') - Number(b.severity === 'warning'),
	);
	const errors = findings.filter((finding) => finding.severity === 'error').length;
	const warnings = findings.length - errors;
	const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
	const verdict =
		errors > 0
			? `${file} is not valid: ${count(errors, 'error')}, ${count(warnings, 'warning')}.`
			: warnings > 0
				? `${file} is valid, with ${count(warnings, 'warning')}.`
				: `${file} is valid.`;
	return [...sorted.map((finding) => formatFinding(finding, file)), verdict].join('\n');
}
