import type {Answers} from './answers.ts';
import type {Question} from './question.ts';

export const stepIds = [
	'start',
	'topology',
	'nodes',
	'vip',
	'ports',
	'kubernetes',
	'ssh',
	'review',
	'confirm',
] as const;
export type StepId = (typeof stepIds)[number];

/** How a front-end presents a step: a list to pick from, a form, the nodes table, or the review of the files. */
export type StepKind = 'menu' | 'form' | 'nodes' | 'review';

/** What the wizard knows about where it runs, which some options depend on. */
export type Environment = {
	/** The cluster.yaml the answers are saved to. */
	readonly configPath: string;
	/** Where the bundle is exported. */
	readonly bundlePath: string;
	/** Whether applying is possible (the runner is connected). */
	readonly canApply: boolean;
	/** Whether the hosts can be checked over SSH. */
	readonly canCheckHosts: boolean;
};

/** One screen of the wizard. */
export type Step = {
	readonly id: StepId;
	readonly title: string;
	readonly kind: StepKind;
	/** Whether the step has anything to ask given the answers so far (no VIP for an existing load balancer). */
	readonly shouldAsk: (answers: Answers) => boolean;
	readonly questions: (answers: Answers, environment: Environment) => readonly Question[];
	/** One line for the progress panel: what was chosen. */
	readonly summary: (answers: Answers) => string;
	/** Live lines under the questions: quorum arithmetic, the failover order. */
	readonly notes?: (answers: Answers) => readonly string[];
	/** Finding paths that belong to the step but to none of its questions; `*` takes every finding. */
	readonly paths?: readonly string[];
	/** Applied when the operator leaves the step, forward or back, and before its findings are computed. */
	readonly settle?: (answers: Answers) => Answers;
};

/** Every screen but the start and the review asks about the spec; reviewing an opened file skips them. */
export const editing = (answers: Answers): boolean => answers.intent !== 'review';
