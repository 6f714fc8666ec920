import {pathMatches} from '../wizard/findings.ts';
import {answerText, type ChoiceQuestion, type Question, type TextQuestion} from '../wizard/question.ts';
import type {CheckHost} from '../wizard/services.ts';
import {
	canLeave,
	currentFindings,
	currentQuestions,
	currentStep,
	type WizardState,
	wizardReducer,
} from '../wizard/state.ts';
import {findingLines} from './print.ts';
import type {Asker} from './prompts.ts';

/** What empties an answer that may be empty: Enter alone keeps the answer shown in brackets. */
const noneAnswer = '-';

async function checkHosts(state: WizardState, asker: Asker, checkHost: CheckHost | undefined): Promise<void> {
	if (!checkHost) {
		asker.print('  Checking SSH to every host is not available yet.');
		return;
	}

	if (!(await asker.confirm('Check SSH to every host now?', false))) {
		return;
	}

	const {nodes, ssh} = state.answers.spec;
	const results = await Promise.all(
		nodes.map(async (node) =>
			checkHost(node, ssh).catch((error: unknown) => ({reachable: false, detail: String(error)})),
		),
	);
	for (const [index, node] of nodes.entries()) {
		const result = results[index];
		asker.print(
			`  ${node.name.padEnd(12)} ${node.address.padEnd(16)} ${result?.reachable ? 'ok' : 'FAILED'}: ${result?.detail}`,
		);
	}
}

/** The typed answer as the question takes it: `-` empties an answer that may be empty. */
const fromTyped = (question: TextQuestion, typed: string): string =>
	question.empty !== undefined && typed === noneAnswer ? '' : typed;

/** The prompt for a typed answer; it refuses text the question cannot take, saying why. */
export function textPrompt(question: TextQuestion, state: WizardState) {
	return {
		message:
			question.empty === undefined ? question.prompt : `${question.prompt} (${noneAnswer} for ${question.empty})`,
		default: question.read(state.answers),
		validate(text: string): string | true {
			const result = answerText(state.answers, question, fromTyped(question, text));
			return 'error' in result ? result.error : true;
		},
	};
}

/** The prompt for a choice: every option that can be chosen, numbered, with the line that explains it. */
export function choicePrompt(question: ChoiceQuestion, state: WizardState) {
	const options = question.options(state.answers).filter((option) => option.disabled === undefined);
	return {
		message: question.prompt,
		choices: options.map((option) => ({value: option.value, name: `${option.label} — ${option.explanation}`})),
		default: question.read(state.answers),
	};
}

async function askQuestion(
	state: WizardState,
	question: Question,
	asker: Asker,
	checkHost: CheckHost | undefined,
): Promise<WizardState> {
	const {answers} = state;
	switch (question.kind) {
		case 'text': {
			asker.print(`  ${question.explanation(answers)}`);
			const typed = await asker.text(textPrompt(question, state));
			return wizardReducer(state, {type: 'answer', id: question.id, text: fromTyped(question, typed)});
		}

		case 'choice': {
			asker.print(`  ${question.explanation(answers)}`);
			const {message, choices, default: chosen} = choicePrompt(question, state);
			const value = await asker.choose(message, choices, chosen);
			return wizardReducer(state, {type: 'choose', id: question.id, value});
		}

		case 'action': {
			await checkHosts(state, asker, checkHost);
			return state;
		}

		case 'nodes': {
			return state;
		}
	}
}

/**
Asks a form's questions one after the other (later ones depend on earlier answers), shows what each answer
caused, then moves on, or stays when an error is left (the step is asked again, Enter keeping each answer).
*/
export async function askForm(
	state: WizardState,
	asker: Asker,
	checkHost: CheckHost | undefined,
): Promise<WizardState> {
	let current = state;
	for (let index = 0; index < currentQuestions(current).length; index++) {
		const question = currentQuestions(current)[index];
		if (!question) {
			break;
		}

		current = await askQuestion(current, question, asker, checkHost);
		const caused = currentFindings(current).filter((finding) =>
			question.paths.some((pattern) => pathMatches(pattern, finding.path)),
		);
		for (const line of findingLines(caused, current.environment.configPath)) {
			asker.print(line);
		}
	}

	return leaveStep(current, asker);
}

/** Moves on when nothing blocks; warnings are listed and must be accepted. */
export async function leaveStep(state: WizardState, asker: Asker): Promise<WizardState> {
	for (const note of currentStep(state).notes?.(state.answers) ?? []) {
		asker.print(note);
	}

	const findings = currentFindings(state);
	if (!canLeave(state)) {
		asker.print(`${currentStep(state).title} has errors:`);
		for (const line of findingLines(findings, state.environment.configPath)) {
			asker.print(line);
		}

		asker.print('Correct them to go on: the questions come again, and Enter keeps an answer.');
		return state;
	}

	if (findings.length > 0) {
		for (const line of findingLines(findings, state.environment.configPath)) {
			asker.print(line);
		}

		const accepted = await asker.confirm(
			`Go on with ${findings.length === 1 ? 'this warning' : `these ${findings.length} warnings`}?`,
			true,
		);
		if (!accepted) {
			return state;
		}
	}

	return wizardReducer(state, {type: 'next'});
}
