/**
The probe of one node is one bash script of several checks, run in one ssh round trip; each check's output
(stdout and stderr together) comes back framed by marker lines with its exit status, so that one check
failing neither stops the others nor blurs their output.
*/

const begin = '@@kubeha-status-begin';
const end = '@@kubeha-status-end';

/** One check: the body of a bash function whose output and exit status become the section `name`. */
export type Check = {readonly name: string; readonly script: string};

/** What one check printed and how it ended. */
export type SectionOutput = {readonly text: string; readonly exitCode: number};

/** The script that runs every check in turn, each between its markers, whatever its exit status. */
export function checksScript(checks: readonly Check[]): string {
	return [
		'kubeha_section() {',
		'\tlocal name=$1 status=0',
		'\tshift',
		`\techo "${begin} $name"`,
		'\t"$@" 2>&1 || status=$?',
		// On a line of its own even when the output did not end its last line (curl prints a bare "ok").
		`\tprintf '\\n${end} %s\\n' "$status"`,
		'}',
		...checks.flatMap((check, index) => [
			`kubeha_check_${index}() {`,
			check.script,
			'}',
			`kubeha_section ${check.name} kubeha_check_${index}`,
		]),
	].join('\n');
}

/** The sections of a probe's output by name. */
export function splitSections(stdout: string): Map<string, SectionOutput> {
	const sections = new Map<string, SectionOutput>();
	let current: {name: string; lines: string[]} | undefined;
	for (const line of stdout.split('\n')) {
		if (line.startsWith(`${begin} `)) {
			current = {name: line.slice(begin.length + 1), lines: []};
		} else if (line.startsWith(`${end} `) && current) {
			// The framing's own line break ends the text; the command's output keeps its own.
			const text = current.lines.join('\n').replace(/\n$/, '');
			sections.set(current.name, {text, exitCode: Number(line.slice(end.length + 1))});
			current = undefined;
		} else {
			current?.lines.push(line);
		}
	}

	return sections;
}

/** The last non-empty line of a failed check's output: the error the command printed last. */
export const lastLine = (text: string): string => text.trimEnd().split('\n').at(-1)?.trim() || 'no output';
