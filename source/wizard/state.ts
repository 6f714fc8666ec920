import type {NodeToAdd} from '../spec/add-node.ts';
import type {Finding} from '../spec/finding.ts';
import type {Answers} from './answers.ts';
import {pathMatches, settled, stepFindings, type Validate} from './findings.ts';
import {
	addNode,
	expandAddressCell,
	type NodeField,
	nodeCellId,
	nodeFields,
	removeNode,
	writeNodeField,
} from './node-edits.ts';
import {answerText, type InputError, isInputError, type Question} from './question.ts';
import {backOption, type Environment, type Step, type StepId} from './step.ts';
import type {FinishAction} from './steps/confirm.ts';

/** How the wizard ended: what the operator chose on the last screen (or the first), or quitting. */
export type Outcome =
	| {readonly action: FinishAction | 'quit'}
	/** The shell hands the node to `kubeha add-node`, which shows the plan, asks and applies. */
	| {readonly action: 'add-node'; readonly node: NodeToAdd};

/** Text the operator typed that could not be taken, kept with the reason until it is corrected. */
export type InvalidInput = {readonly text: string; readonly error: string};

export type WizardState = {
	readonly steps: readonly Step[];
	readonly environment: Environment;
	readonly validate: Validate;
	/** The steps visited, the current one last: `back` returns along it. */
	readonly history: readonly StepId[];
	readonly answers: Answers;
	/** By question id (a node's cell: `nodes[2].address`). */
	readonly invalid: Readonly<Record<string, InvalidInput>>;
	/**
	Inputs the operator has left (question ids, node cells): their findings show. A form that scolds on arrival reads
	as broken, so a field is checked when it is left, or when the operator tries to go on.
	*/
	readonly left: Readonly<Record<string, true>>;
	/** The operator tried to leave the current step while something kept them there: every finding shows. */
	readonly tried: boolean;
	readonly outcome?: Outcome;
};

export type WizardAction =
	| {readonly type: 'answer'; readonly id: string; readonly text: string}
	| {readonly type: 'choose'; readonly id: string; readonly value: string}
	/** The focus moved off an input (a question id or a node cell id): its findings show from now on. */
	| {readonly type: 'leave'; readonly id: string}
	| {readonly type: 'edit-node'; readonly index: number; readonly field: NodeField; readonly text: string}
	| {readonly type: 'expand-addresses'; readonly index: number}
	| {readonly type: 'add-node'}
	| {readonly type: 'remove-node'; readonly index: number}
	/** Picks an option of a menu screen, which acts at once. */
	| {readonly type: 'select'; readonly value: string}
	| {readonly type: 'next'}
	| {readonly type: 'back'}
	| {readonly type: 'quit'};

export function initialState(options: {
	steps: readonly Step[];
	environment: Environment;
	answers: Answers;
	validate: Validate;
}): WizardState {
	const first = options.steps[0];
	if (!first) {
		throw new Error('the wizard has no steps');
	}

	return {...options, history: [first.id], invalid: {}, left: {}, tried: false};
}

export function currentStep(state: WizardState): Step {
	const id = state.history.at(-1);
	const step = state.steps.find((candidate) => candidate.id === id);
	if (!step) {
		throw new Error(`the wizard has no step ${String(id)}`);
	}

	return step;
}

export const currentQuestions = (state: WizardState): readonly Question[] =>
	currentStep(state).questions(state.answers, state.environment);

export const currentFindings = (state: WizardState): Finding[] =>
	stepFindings(currentStep(state), state.answers, state.environment, state.validate);

/** Ids of the current step's inputs: its questions, or every cell of the nodes table. */
function inputIds(state: WizardState): string[] {
	if (currentStep(state).kind === 'nodes') {
		return state.answers.spec.nodes.flatMap((_, index) => nodeFields.map((field) => nodeCellId(index, field)));
	}

	return currentQuestions(state).map((question) => question.id);
}

/** What keeps the operator on the current screen: input that was not taken, and errors of its findings. */
export function blockers(state: WizardState): {readonly invalid: string[]; readonly errors: Finding[]} {
	return {
		invalid: inputIds(state).filter((id) => state.invalid[id] !== undefined),
		errors: currentFindings(state).filter((finding) => finding.severity === 'error'),
	};
}

/** Paths of a question or a node cell: what its findings are found by. */
function inputPaths(state: WizardState, id: string): readonly string[] {
	return currentQuestions(state).find((question) => question.id === id)?.paths ?? [id];
}

/** Whether the operator has left the input, or tried to go on: only then do its errors show. */
export const isChecked = (state: WizardState, id: string): boolean => state.tried || state.left[id] === true;

/**
The findings the current step shows: those of inputs the operator has left, or all once they tried to go on.
Warnings about the step as a whole (no question's path) wait for the attempt too. A screen where nothing is typed
(a menu, the review) shows them all: it cannot scold before anything was typed.
*/
export function shownFindings(state: WizardState): Finding[] {
	const findings = currentFindings(state);
	const typed = currentQuestions(state).some((question) => question.kind === 'text' || question.kind === 'nodes');
	if (state.tried || !typed) {
		return findings;
	}

	const checked = Object.keys(state.left).flatMap((id) => inputPaths(state, id));
	return findings.filter((finding) => checked.some((pattern) => pathMatches(pattern, finding.path)));
}

/** Input not taken, by id, as the current step shows it: the same rule as its findings. */
export function shownInvalid(state: WizardState): Record<string, InvalidInput> {
	return Object.fromEntries(Object.entries(state.invalid).filter(([id]) => isChecked(state, id)));
}

export function canLeave(state: WizardState): boolean {
	const {invalid, errors} = blockers(state);
	return invalid.length === 0 && errors.length === 0;
}

/** The steps the operator will go through, with those done and the current one. */
export type StepProgress = {readonly step: Step; readonly status: 'done' | 'current' | 'upcoming'};

export function progress(state: WizardState): StepProgress[] {
	const current = currentStep(state);
	const visited = new Set(state.history);
	const currentIndex = state.steps.indexOf(current);
	return state.steps.flatMap((step, index): StepProgress[] => {
		if (step === current) {
			return [{step, status: 'current'}];
		}

		if (index < currentIndex) {
			return visited.has(step.id) ? [{step, status: 'done'}] : [];
		}

		return step.shouldAsk(state.answers) ? [{step, status: 'upcoming'}] : [];
	});
}

function withInput(state: WizardState, id: string, text: string, result: Answers | InputError): WizardState {
	if (isInputError(result)) {
		return {...state, invalid: {...state.invalid, [id]: {text, error: result.error}}};
	}

	const {[id]: _, ...invalid} = state.invalid;
	return {...state, answers: result, invalid};
}

const notOfNodes = <T>(record: Readonly<Record<string, T>>): Record<string, T> =>
	Object.fromEntries(Object.entries(record).filter(([id]) => !id.startsWith('nodes[')));

/** Rows move when nodes are added or removed, so text kept for a row would land on another node. */
function withNodes(state: WizardState, answers: Answers): WizardState {
	return {...state, answers, invalid: notOfNodes(state.invalid)};
}

/** The address cells a list filled are the operator's answers, as if typed and left one by one. */
function withAddressesFilled(state: WizardState, answers: Answers, from: number): WizardState {
	const filled = answers.spec.nodes
		.map((node, index) => ({node, index}))
		.filter(({node, index}) => index >= from && node.address !== state.answers.spec.nodes[index]?.address)
		.map(({index}) => [nodeCellId(index, 'address'), true] as const);
	return {...withNodes(state, answers), left: {...state.left, ...Object.fromEntries(filled)}};
}

function next(state: WizardState): WizardState {
	if (!canLeave(state)) {
		return {...state, tried: true};
	}

	const step = currentStep(state);
	const answers = settled(step, state.answers);
	const following = state.steps.slice(state.steps.indexOf(step) + 1).find((candidate) => candidate.shouldAsk(answers));
	return following ? {...state, answers, history: [...state.history, following.id], tried: false} : state;
}

function back(state: WizardState): WizardState {
	if (state.history.length <= 1) {
		return state;
	}

	const answers = settled(currentStep(state), state.answers);
	return {...state, answers, history: state.history.slice(0, -1), tried: false};
}

/** Whether Esc goes anywhere: not on the first screen, which has nothing before it. */
export const canGoBack = (state: WizardState): boolean => state.history.length > 1;

function select(state: WizardState, value: string): WizardState {
	const step = currentStep(state);
	const question = currentQuestions(state)[0];
	if (question?.kind !== 'choice') {
		return state;
	}

	const option = question.options(state.answers).find((candidate) => candidate.value === value);
	if (option === undefined || option.disabled !== undefined) {
		return state;
	}

	const chosen = {...state, answers: question.write(state.answers, value)};
	const outcome = step.outcome?.(value, chosen.answers);
	if (outcome) {
		return {...chosen, outcome};
	}

	return value === backOption ? back(chosen) : next(chosen);
}

/** The wizard as a reducer: pure, shared by the TUI and the plain front-end. */
export function wizardReducer(state: WizardState, action: WizardAction): WizardState {
	switch (action.type) {
		case 'answer': {
			const question = currentQuestions(state).find((candidate) => candidate.id === action.id);
			return question?.kind === 'text'
				? withInput(state, action.id, action.text, answerText(state.answers, question, action.text))
				: state;
		}

		case 'choose': {
			const question = currentQuestions(state).find((candidate) => candidate.id === action.id);
			const allowed =
				question?.kind === 'choice' &&
				question.options(state.answers).some((o) => o.value === action.value && o.disabled === undefined);
			// A choice is made on purpose: what it causes shows at once.
			return allowed
				? {...state, answers: question.write(state.answers, action.value), left: {...state.left, [action.id]: true}}
				: state;
		}

		case 'leave': {
			return state.left[action.id] ? state : {...state, left: {...state.left, [action.id]: true}};
		}

		case 'edit-node': {
			const id = nodeCellId(action.index, action.field);
			return withInput(state, id, action.text, writeNodeField(state.answers, action.index, action.field, action.text));
		}

		case 'expand-addresses': {
			const id = nodeCellId(action.index, 'address');
			const result = expandAddressCell(state.answers, action.index);
			if (result === state.answers) {
				return state;
			}

			return isInputError(result)
				? withInput(
						{...state, left: {...state.left, [id]: true}},
						id,
						state.answers.spec.nodes[action.index]?.address ?? '',
						result,
					)
				: withAddressesFilled(state, result, action.index);
		}

		case 'add-node': {
			return withNodes(state, addNode(state.answers));
		}

		case 'remove-node': {
			return {...withNodes(state, removeNode(state.answers, action.index)), left: notOfNodes(state.left)};
		}

		case 'select': {
			return select(state, action.value);
		}

		case 'next': {
			return next(state);
		}

		case 'back': {
			return back(state);
		}

		case 'quit': {
			return {...state, outcome: {action: 'quit'}};
		}
	}
}
