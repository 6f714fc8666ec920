import type {Key} from 'ink';
import {enabledOptions, type Question} from '../../wizard/question.ts';
import {currentQuestions, type WizardState} from '../../wizard/state.ts';
import {editNumber, editText, type TextEdit, textEdit} from '../components/use-text-field-state.ts';
import type {ScreenResult} from './screen-result.ts';

/** The last item of every form: Enter on it moves on. */
const continueItem = 'continue';

export type FormState = {
	readonly kind: 'form';
	/** A question id, or `continue`. */
	readonly focus: string;
	/** The text of the focused field as typed, which may not have been taken (see WizardState.invalid). */
	readonly edit: TextEdit;
};

/** What a text question's field shows: text that was not taken, or the answer. */
export function fieldText(question: Question, wizard: WizardState): string {
	return question.kind === 'text' ? (wizard.invalid[question.id]?.text ?? question.read(wizard.answers)) : '';
}

/**
A focused field's text is selected, so that typing replaces it, when it is a number (a spin box) or a suggestion the
operator has not been in yet (a default such as the cluster name).
*/
export function focusForm(wizard: WizardState, focus: string): FormState {
	const question = currentQuestions(wizard).find((candidate) => candidate.id === focus);
	const selected = question?.kind === 'text' && (question.range !== undefined || wizard.left[question.id] !== true);
	return {kind: 'form', focus, edit: textEdit(question ? fieldText(question, wizard) : '', selected)};
}

export const initialForm = (wizard: WizardState): FormState =>
	focusForm(wizard, currentQuestions(wizard)[0]?.id ?? continueItem);

function cycle(question: Question, wizard: WizardState, direction: 1 | -1): string | undefined {
	if (question.kind !== 'choice') {
		return undefined;
	}

	const options = enabledOptions(question, wizard.answers);
	const index = options.findIndex((option) => option.value === question.read(wizard.answers));
	return options[(index + direction + options.length) % options.length]?.value;
}

export function formKey(state: FormState, input: string, key: Key, wizard: WizardState): ScreenResult<FormState> {
	const questions = currentQuestions(wizard);
	const items = [...questions.map((question) => question.id), continueItem];
	const index = Math.max(0, items.indexOf(state.focus));
	// Leaving a question is when its answer is checked.
	const moveTo = (offset: number): ScreenResult<FormState> => {
		const focus = items[Math.min(items.length - 1, Math.max(0, index + offset))] ?? continueItem;
		return {
			screen: focusForm(wizard, focus),
			...(focus !== state.focus && state.focus !== continueItem ? {action: {type: 'leave', id: state.focus}} : {}),
		};
	};
	if (key.upArrow || (key.tab && key.shift)) {
		return moveTo(-1);
	}

	if (key.downArrow || key.tab) {
		return moveTo(1);
	}

	const question = questions[index];
	if (key.return) {
		if (!question) {
			return {screen: state, action: {type: 'next'}};
		}

		// An action runs (when it can) and the focus moves on, so Enter alone walks a form to its end.
		return question.kind === 'action' ? {...moveTo(1), request: 'check-hosts'} : moveTo(1);
	}

	if (question?.kind === 'choice' && (key.leftArrow || key.rightArrow || input === ' ')) {
		const value = cycle(question, wizard, key.leftArrow ? -1 : 1);
		return value === undefined ? {screen: state} : {screen: state, action: {type: 'choose', id: question.id, value}};
	}

	const edited =
		question?.kind !== 'text'
			? undefined
			: question.range
				? editNumber(state.edit, input, key, question.range)
				: editText(state.edit, input, key);
	return edited && question
		? {screen: {...state, edit: edited}, action: {type: 'answer', id: question.id, text: edited.value}}
		: {screen: state};
}
