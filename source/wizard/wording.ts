import type {Finding} from '../spec/finding.ts';
import {pathMatches} from './findings.ts';
import {nodeFields} from './node-edits.ts';
import {currentStep, type WizardState} from './state.ts';

/**
A finding as the wizard shows it: on the question as the screen asks it ("Cluster name", "cp1 address"), not on
the YAML path `kubeha validate` names for a file. The rules' texts stay the truth; this only rewords at the edge.
*/
export type FormFinding = Finding & {
	/** The question the finding is on, or the file's name when it is on no question. */
	readonly label: string;
};

type Label = {readonly pattern: string; readonly label: string};

/**
Every question by the paths it answers and node cells by name: the current screen's questions first (adding a
node asks "Name" for `nodes[3].name`), then the cells, then the other screens' questions.
*/
function labels(state: WizardState): Label[] {
	const current = currentStep(state);
	const ofQuestions = (steps: readonly (typeof current)[]): Label[] =>
		steps
			.flatMap((step) => step.questions(state.answers, state.environment))
			.filter((question) => question.kind === 'text' || question.kind === 'choice')
			.flatMap((question) => question.paths.map((pattern) => ({pattern, label: question.prompt})));
	const cells = state.answers.spec.nodes.flatMap((node, index) =>
		nodeFields.map((field) => ({
			pattern: `nodes[${index}].${field}`,
			label: `${node.name || `node ${index + 1}`} ${field}`,
		})),
	);
	return [...ofQuestions([current]), ...cells, ...ofQuestions(state.steps.filter((step) => step !== current))];
}

const labelOf = (all: readonly Label[], path: string): string | undefined =>
	path === '' ? undefined : all.find((entry) => pathMatches(entry.pattern, path))?.label;

// A YAML path in running text: two or more segments (`loadBalancer.port`, `nodes[0].address`). A one-word path
// such as `name` is reworded only where the message starts with it: elsewhere it is an ordinary word.
const dottedPath = /\b[a-zA-Z][\w-]*(?:\[\d+])?(?:\.[a-zA-Z][\w-]*(?:\[\d+])?)+\b/g;

function reword(text: string, all: readonly Label[], own: string): string {
	const start =
		own !== '' && text.startsWith(`${own} `) ? `${labelOf(all, own) ?? own}${text.slice(own.length)}` : text;
	return start.replaceAll(dottedPath, (path) => labelOf(all, path) ?? path);
}

/**
Fixes that tell a file's author to add YAML, said as what to do in the form instead. Keyed by rule; the rest are
reworded path by path.
*/
const formFixes: Readonly<Record<string, (finding: Finding) => string>> = {
	'vip-required': (finding) => {
		const example = /`vip: ([^`]+)`/.exec(finding.fix)?.[1] ?? '192.168.1.254/24';
		return `write an address no host uses, in the nodes' network with its prefix length, such as ${example} (or choose "an existing load balancer" on Topology).`;
	},
	'endpoint-required': () =>
		'write host:port of the load balancer, such as lb.example.com:6443, or choose keepalived + haproxy or kube-vip on Topology.',
};

/** The question or node cell an input id (`nodes[1].address`, `name`) stands for, as the screen asks it. */
export const inputLabel = (state: WizardState, id: string): string => labelOf(labels(state), id) ?? id;

/** The findings worded for the wizard's screens. */
export function formFindings(findings: readonly Finding[], state: WizardState): FormFinding[] {
	const all = labels(state);
	return findings.map((finding) => ({
		...finding,
		label: labelOf(all, finding.path) ?? state.environment.configPath,
		message: reword(finding.message, all, finding.path),
		fix: formFixes[finding.rule]?.(finding) ?? reword(finding.fix, all, finding.path),
	}));
}

/** One line of a finding on a screen: the question, what is wrong, the rule. */
export function formFindingLine(finding: FormFinding): string {
	const mark = finding.severity === 'error' ? '✖' : '▲';
	const text = finding.message.startsWith(finding.label) ? finding.message : `${finding.label}: ${finding.message}`;
	return `${mark} ${text} [${finding.rule}]`;
}
