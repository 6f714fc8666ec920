import {type Review, reviewSummary} from '../wizard/review.ts';
import type {WizardServices} from '../wizard/services.ts';
import {canLeave, currentFindings, type WizardState, wizardReducer} from '../wizard/state.ts';
import {diffText, fileLabel, findingLines} from './print.ts';
import {type Asker, GoBack} from './prompts.ts';

async function browse(review: Review, asker: Asker): Promise<void> {
	for (;;) {
		const choices = [
			{value: 'continue', name: 'Continue'},
			...review.files.map((file, index) => ({value: String(index), name: `Show ${fileLabel(file)}`})),
		];
		const picked = await asker.choose('Review', choices, 'continue');
		const file = review.files[Number(picked)];
		if (picked === 'continue' || !file) {
			return;
		}

		asker.print(
			`--- ${file.node}:${file.path} (${file.status}, 0${file.mode.toString(8)}${file.secret ? ', secrets masked' : ''})`,
		);
		for (const line of diffText(file)) {
			asker.print(line);
		}
	}
}

/** The review, line by line: what is wrong if anything, else the files and any of their diffs on request. */
export async function askReview(state: WizardState, asker: Asker, services: WizardServices): Promise<WizardState> {
	const findings = findingLines(currentFindings(state), state.environment.configPath);
	if (!canLeave(state)) {
		for (const line of ['Fix these first; nothing can be rendered until then:', ...findings]) {
			asker.print(line);
		}

		await asker.choose('Review', [{value: 'back', name: 'Go back to the screens'}]);
		throw new GoBack('back');
	}

	asker.print("Rendering every host's files…");
	const review = await services.review(state.answers).catch((error: unknown) => {
		// The TUI shows the same and lets the operator go on: saving needs no rendering.
		asker.print(`The files could not be rendered: ${error instanceof Error ? error.message : String(error)}`);
		return undefined;
	});
	if (review) {
		for (const line of [...reviewSummary(review, state.environment), ...findings]) {
			asker.print(line);
		}

		await browse(review, asker);
	}

	return wizardReducer(state, {type: 'next'});
}
