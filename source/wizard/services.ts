import type {NodeSpec, ParsedCluster} from '../spec/schema.ts';
import type {Answers} from './answers.ts';
import type {Review} from './review.ts';
import type {Outcome, WizardState} from './state.ts';

/** Whether a host answered on SSH, and what it said (or why it did not). */
export type HostCheck = {readonly reachable: boolean; readonly detail: string};

/** Connects to one host with the SSH settings; the lead wires it to the SSH layer. */
export type CheckHost = (node: NodeSpec, ssh: ParsedCluster['ssh']) => Promise<HostCheck>;

/** The wizard's only ways out to the world; both front-ends get the same ones, and tests pass fakes. */
export type WizardServices = {
	/** Saves the answers to cluster.yaml; called whenever the operator moves to another screen. */
	readonly save: (answers: Answers) => Promise<void>;
	/** The files each host gets against what it has, for answers without errors. */
	readonly review: (answers: Answers) => Promise<Review>;
	readonly checkHost?: CheckHost;
};

/** What a front-end hands back: how the operator left and the answers at that moment. */
export type Finished = {readonly outcome: Outcome; readonly answers: Answers};

/** A front-end runs the wizard from a state to an outcome. */
export type FrontEnd = (state: WizardState, services: WizardServices) => Promise<Finished>;
