import type {Key} from 'ink';
import type {Review} from '../../wizard/review.ts';
import type {HostCheck} from '../../wizard/services.ts';
import {currentQuestions, currentStep, type WizardAction, type WizardState, wizardReducer} from '../../wizard/state.ts';
import type {ScreenResult} from '../screens/screen-result.ts';
import {type FormState, focusForm, formKey, initialForm} from '../screens/use-form-state.ts';
import {initialMenu, type MenuState, menuKey} from '../screens/use-menu-state.ts';
import {focusNodes, initialNodes, type NodesState, nodesKey} from '../screens/use-nodes-state.ts';
import {initialReview, type ReviewState, reviewKey} from '../screens/use-review-state.ts';

export type ScreenState = MenuState | FormState | NodesState | ReviewState;

export type ReviewLoad =
	| {readonly status: 'idle'}
	| {readonly status: 'loading'}
	| {readonly status: 'ready'; readonly review: Review}
	| {readonly status: 'failed'; readonly message: string};

export type HostCheckState = {readonly status: 'checking'} | ({readonly status: 'done'} & HostCheck);

/** Everything the TUI shows; one reducer decides every key press, so a fast typist never meets a stale screen. */
export type AppState = {
	readonly wizard: WizardState;
	readonly screen: ScreenState;
	/** Ctrl-C asks before quitting. */
	readonly quitting: boolean;
	readonly review: ReviewLoad;
	/** By node name. */
	readonly checks: Readonly<Record<string, HostCheckState>>;
	/** Goes up each time the operator asks for the hosts to be checked; the app runs the checks when it does. */
	readonly checkRound: number;
	/** Why the last save failed, until one succeeds. */
	readonly saveError?: string;
};

export type AppAction =
	| {readonly type: 'key'; readonly input: string; readonly key: Key}
	| {readonly type: 'review-started'}
	| {readonly type: 'review-loaded'; readonly review: Review}
	| {readonly type: 'review-failed'; readonly message: string}
	| {readonly type: 'host-checked'; readonly node: string; readonly result: HostCheck}
	| {readonly type: 'saved'; readonly error?: string};

function screenFor(wizard: WizardState): ScreenState {
	const step = currentStep(wizard);
	switch (step.kind) {
		case 'menu': {
			const question = currentQuestions(wizard)[0];
			return question?.kind === 'choice'
				? initialMenu(question.options(wizard.answers), question.read(wizard.answers))
				: initialMenu([], '');
		}

		case 'form': {
			return initialForm(wizard);
		}

		case 'nodes': {
			return initialNodes(wizard);
		}

		case 'review': {
			return initialReview;
		}
	}
}

export const initialAppState = (wizard: WizardState): AppState => ({
	wizard,
	screen: screenFor(wizard),
	quitting: false,
	review: {status: 'idle'},
	checks: {},
	checkRound: 0,
});

function screenKey(state: AppState, input: string, key: Key): ScreenResult<ScreenState> {
	const {screen, wizard} = state;
	switch (screen.kind) {
		case 'menu': {
			const question = currentQuestions(wizard)[0];
			return menuKey(screen, key, question?.kind === 'choice' ? question.options(wizard.answers) : []);
		}

		case 'form': {
			return formKey(screen, input, key, wizard);
		}

		case 'nodes': {
			return nodesKey(screen, input, key, wizard);
		}

		case 'review': {
			const review = state.review.status === 'ready' ? state.review.review : undefined;
			return reviewKey(screen, key, review, state.review.status === 'loading');
		}
	}
}

/** The field under a moved focus shows what the wizard now holds (a node just added, addresses just filled). */
function refocus(before: ScreenState, after: ScreenState, wizard: WizardState): ScreenState {
	if (after.kind === 'form' && before.kind === 'form' && after.focus !== before.focus) {
		return focusForm(wizard, after.focus);
	}

	if (after.kind === 'nodes' && before.kind === 'nodes' && after.focus !== before.focus) {
		return focusNodes(wizard, after.focus);
	}

	return after;
}

function applyWizard(state: AppState, action: WizardAction | undefined, screen: ScreenState): AppState {
	const wizard = action ? wizardReducer(state.wizard, action) : state.wizard;
	const moved = wizard.history !== state.wizard.history;
	return moved
		? {...state, wizard, screen: screenFor(wizard), review: {status: 'idle'}}
		: {...state, wizard, screen: refocus(state.screen, screen, wizard)};
}

function checksStarted(state: AppState): AppState {
	if (!state.wizard.environment.canCheckHosts) {
		return state;
	}

	const checking = Object.fromEntries(
		state.wizard.answers.spec.nodes.map((node) => [node.name, {status: 'checking'} as const]),
	);
	return {...state, checks: checking, checkRound: state.checkRound + 1};
}

function keyPressed(state: AppState, input: string, key: Key): AppState {
	if (key.ctrl && input === 'c') {
		// A second Ctrl-C is an operator who means it.
		return state.quitting ? applyWizard(state, {type: 'quit'}, state.screen) : {...state, quitting: true};
	}

	if (state.quitting) {
		if (input.toLowerCase() === 'y') {
			return applyWizard(state, {type: 'quit'}, state.screen);
		}

		return input.toLowerCase() === 'n' || key.escape ? {...state, quitting: false} : state;
	}

	if (key.escape) {
		return applyWizard(state, {type: 'back'}, state.screen);
	}

	const result = screenKey(state, input, key);
	const applied = applyWizard(state, result.action, result.screen);
	return result.request === 'check-hosts' ? checksStarted(applied) : applied;
}

export function appReducer(state: AppState, action: AppAction): AppState {
	switch (action.type) {
		case 'key': {
			return keyPressed(state, action.input, action.key);
		}

		case 'review-started': {
			return {...state, review: {status: 'loading'}};
		}

		case 'review-loaded': {
			return state.review.status === 'loading' ? {...state, review: {status: 'ready', review: action.review}} : state;
		}

		case 'review-failed': {
			return state.review.status === 'loading'
				? {...state, review: {status: 'failed', message: action.message}}
				: state;
		}

		case 'host-checked': {
			return {...state, checks: {...state.checks, [action.node]: {status: 'done', ...action.result}}};
		}

		case 'saved': {
			const {saveError: _, ...rest} = state;
			return action.error === undefined ? rest : {...state, saveError: action.error};
		}
	}
}
