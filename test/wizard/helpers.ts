import {readFileSync} from 'node:fs';
import {parse} from 'yaml';
import type {Finding} from '../../source/spec/finding.ts';
import {clusterSchema, type ParsedCluster} from '../../source/spec/schema.ts';
import {type Answers, answersFrom} from '../../source/wizard/answers.ts';
import type {Validate} from '../../source/wizard/findings.ts';
import type {Review} from '../../source/wizard/review.ts';
import {specToYaml} from '../../source/wizard/serialize.ts';
import type {Finished, WizardServices} from '../../source/wizard/services.ts';
import {initialState, type WizardState} from '../../source/wizard/state.ts';
import type {Environment, StepId} from '../../source/wizard/step.ts';
import {wizardSteps} from '../../source/wizard/steps/index.ts';

export const exampleText = (name: string): string =>
	readFileSync(new URL(`../../examples/${name}.yaml`, import.meta.url), 'utf8');

export const exampleSpec = (name: string): ParsedCluster => clusterSchema.parse(parse(exampleText(name)));

export const exampleAnswers = (name: string): Answers => answersFrom(exampleSpec(name));

/** The cluster.yaml both front-ends write for the answers of examples/three-control-planes.yaml. */
export const expectedThreeControlPlanes = (): string =>
	readFileSync(new URL('fixtures/three-control-planes.cluster.yaml', import.meta.url), 'utf8');

export const environment = (overrides: Partial<Environment> = {}): Environment => ({
	configPath: 'cluster.yaml',
	bundlePath: 'cluster-bundle',
	canApply: false,
	canCheckHosts: false,
	canAddNode: false,
	...overrides,
});

/** A validator that finds nothing: for tests about the wizard's own behaviour, whatever the rules say. */
export const noFindings: Validate = () => [];

/** A validator that reports `finding` whenever `when` holds for the draft. */
export const findingWhen =
	(when: (spec: ParsedCluster) => boolean, finding: Finding): Validate =>
	(spec) =>
		when(spec) ? [finding] : [];

/**
A wizard state on step `id`, as if the operator had come through the steps before it. `opened` adds the start
screen, as for an existing cluster.yaml: the answers as kubeha writes them, or the text given.
*/
export function stateAt(
	id: StepId,
	answers: Answers,
	options: {validate?: Validate; opened?: boolean | string; environment?: Partial<Environment>} = {},
): WizardState {
	const text = typeof options.opened === 'string' ? options.opened : specToYaml(answers.spec);
	const steps = wizardSteps(options.opened ? {spec: answers.spec, text} : undefined);
	const state = initialState({
		steps,
		environment: environment(options.environment),
		answers,
		validate: options.validate ?? noFindings,
	});
	const until = steps.findIndex((step) => step.id === id);
	const history = steps
		.slice(0, until + 1)
		.filter((step, index) => index === 0 || index === until || step.shouldAsk(answers))
		.map((step) => step.id);
	return {...state, history};
}

/** Services that record what is saved and answer the review with `review`. */
export function fakeServices(overrides: Partial<WizardServices> & {review?: WizardServices['review']} = {}) {
	const saved: Answers[] = [];
	const services: WizardServices = {
		save: async (answers) => {
			saved.push(answers);
		},
		review: async (): Promise<Review> => ({hosts: 0, files: []}),
		...overrides,
	};
	return {services, saved};
}

/** A promise for the front-end's outcome, and the callback that settles it. */
export function outcome() {
	let settle: (finished: Finished) => void = () => undefined;
	const finished = new Promise<Finished>((resolve) => {
		settle = resolve;
	});
	return {finished, onDone: (result: Finished) => settle(result)};
}
