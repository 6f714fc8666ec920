import type {Answers} from './answers.ts';

/** Why typed text cannot be taken; shown under the field, and it keeps the operator on the screen. */
export type InputError = {readonly error: string};

export const isInputError = (value: object): value is InputError => 'error' in value;

type QuestionBase = {
	/** Stable id; the front-ends key their fields and errors on it. */
	readonly id: string;
	/** The label, short: "Control planes". */
	readonly prompt: string;
	/** One line on what the answer means, given the answers so far. */
	readonly explanation: (answers: Answers) => string;
	/** Paths of the findings shown with this question; `nodes[].address` stands for every node's address. */
	readonly paths: readonly string[];
};

/** A typed answer: text or a number, edited as text. */
export type TextQuestion = QuestionBase & {
	readonly kind: 'text';
	/** The text shown: the answer given, or the default it stands for. */
	readonly read: (answers: Answers) => string;
	/** The answers with the typed text in them, or why the text cannot be taken. */
	readonly write: (answers: Answers, text: string) => Answers | InputError;
	/** What an empty answer means ("none", "the default"); absent when an answer is required. */
	readonly empty?: string;
	/** A whole number in this range: the front-ends edit it as a number. */
	readonly range?: {readonly min: number; readonly max: number};
};

/** One option of a choice, with the line that explains it. */
export type Choice = {
	readonly value: string;
	readonly label: string;
	readonly explanation: string;
	/** Why the option cannot be chosen, when it cannot. */
	readonly disabled?: string;
};

export type ChoiceQuestion = QuestionBase & {
	readonly kind: 'choice';
	readonly options: (answers: Answers) => readonly Choice[];
	readonly read: (answers: Answers) => string;
	readonly write: (answers: Answers, value: string) => Answers;
};

/** The table of nodes (name, address, roles); edited with the operations in `node-edits.ts`. */
export type NodesQuestion = QuestionBase & {readonly kind: 'nodes'};

/** Something the operator may have done on the spot, such as checking that every host answers on SSH. */
export type ActionQuestion = QuestionBase & {readonly kind: 'action'; readonly action: 'check-hosts'};

export type Question = TextQuestion | ChoiceQuestion | NodesQuestion | ActionQuestion;

/**
The answers after the operator typed `text` for a question. Text equal to what the question shows already changes
nothing, so accepting a derived default (the LB port, the VRRP id) keeps it derived.
*/
export function answerText(answers: Answers, question: TextQuestion, text: string): Answers | InputError {
	if (text === question.read(answers)) {
		return answers;
	}

	if (text.trim() === '' && question.empty === undefined) {
		return {error: `${question.prompt} needs an answer.`};
	}

	return question.write(answers, text.trim());
}

/** The options that can be chosen. */
export const enabledOptions = (question: ChoiceQuestion, answers: Answers): Choice[] =>
	question.options(answers).filter((option) => option.disabled === undefined);

type NumberQuestionSpec = Omit<TextQuestion, 'kind' | 'read' | 'write'> & {
	readonly read: (answers: Answers) => number | undefined;
	/** `undefined` when an answer that may be empty is. */
	readonly write: (answers: Answers, value: number | undefined) => Answers;
	readonly min?: number;
	readonly max?: number;
};

/**
A question whose answer is a whole number. Only the form is checked here; what the number means (a port in range,
a unique priority) is for the validation rules, so that the wizard says what `kubeha validate` says.
*/
export function numberQuestion(spec: NumberQuestionSpec): TextQuestion {
	const {read, write, min, max, ...rest} = spec;
	return {
		...rest,
		kind: 'text',
		range: {min: min ?? 0, max: max ?? 65_535},
		read: (answers) => read(answers)?.toString() ?? '',
		write(answers, text) {
			if (text === '') {
				return write(answers, undefined);
			}

			if (!/^\d+$/.test(text)) {
				return {error: `"${text}" is not a whole number; write digits only, such as ${min ?? 1}.`};
			}

			const value = Number(text);
			if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
				return {error: `${spec.prompt} is ${value}; write a number from ${min ?? 0} to ${max ?? value}.`};
			}

			return write(answers, value);
		},
	};
}
