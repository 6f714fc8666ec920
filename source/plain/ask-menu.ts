import {currentFindings, currentQuestions, currentStep, type WizardState, wizardReducer} from '../wizard/state.ts';
import {diffLineText, findingLines} from './print.ts';
import type {Asker} from './prompts.ts';

/**
A menu screen: the change it acts on (if any) with what kubeha says of it, then the options that can be chosen,
numbered, and the others said why not.
*/
export async function askMenu(state: WizardState, asker: Asker): Promise<WizardState> {
	const question = currentQuestions(state)[0];
	if (question?.kind !== 'choice') {
		return state;
	}

	const step = currentStep(state);
	const options = question.options(state.answers);
	asker.print(`  ${question.explanation(state.answers)}`);
	for (const line of [
		...diffLineText(step.preview?.(state.answers) ?? []),
		...(step.notes?.(state.answers) ?? []),
		...findingLines(currentFindings(state), state.environment.configPath),
	]) {
		asker.print(line);
	}

	for (const option of options.filter((candidate) => candidate.disabled !== undefined)) {
		asker.print(`  (${option.label}: ${option.disabled})`);
	}

	const value = await asker.choose(
		question.prompt,
		options
			.filter((option) => option.disabled === undefined)
			.map((option) => ({value: option.value, name: `${option.label} — ${option.explanation}`})),
		question.read(state.answers),
	);
	return wizardReducer(state, {type: 'select', value});
}
