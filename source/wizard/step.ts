import type {Finding} from '../spec/finding.ts';
import type {Answers} from './answers.ts';
import type {Question} from './question.ts';
import type {DiffLine} from './review.ts';
import type {Outcome} from './state.ts';

export const stepIds = [
	'start',
	'add-node',
	'add-node-confirm',
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
	/** Whether a node can be added (`kubeha add-node` is connected). */
	readonly canAddNode: boolean;
};

/** The value of a menu option that returns to the previous screen. */
export const backOption = 'back';

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
	/**
	The step's own findings, instead of the draft's on its paths: a node being added is checked as `kubeha add-node`
	checks it, against the file, not as part of the draft.
	*/
	readonly findings?: (answers: Answers) => readonly Finding[];
	/** A change shown before the operator confirms it: the lines adding a node changes in cluster.yaml. */
	readonly preview?: (answers: Answers) => readonly DiffLine[];
	/** How choosing a menu option ends the wizard, when it does (export on the start screen, any option on the last). */
	readonly outcome?: (value: string, answers: Answers) => Outcome | undefined;
	/** Applied when the operator leaves the step, forward or back, and before its findings are computed. */
	readonly settle?: (answers: Answers) => Answers;
};

/** The screens that ask about the spec: for a new cluster or an edit; reviewing and adding a node skip them. */
export const editing = (answers: Answers): boolean => answers.intent === 'new' || answers.intent === 'edit';

/** The review and the last screen; adding a node has a confirmation of its own, which hands over to `kubeha add-node`. */
export const reviewing = (answers: Answers): boolean => answers.intent !== 'add-node';

/** The screens of "Add a node". */
export const addingNode = (answers: Answers): boolean => answers.intent === 'add-node';
