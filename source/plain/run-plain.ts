import type {FrontEnd, WizardServices} from '../wizard/services.ts';
import {currentStep, progress, type WizardState, wizardReducer} from '../wizard/state.ts';
import {askForm} from './ask-form.ts';
import {askMenu} from './ask-menu.ts';
import {askNodes} from './ask-nodes.ts';
import {askReview} from './ask-review.ts';
import {type Asker, createAsker, GoBack, QuitRequested, type Terminal} from './prompts.ts';

async function askStep(state: WizardState, asker: Asker, services: WizardServices): Promise<WizardState> {
	switch (currentStep(state).kind) {
		case 'menu': {
			return askMenu(state, asker);
		}

		case 'form': {
			return askForm(state, asker, services.checkHost);
		}

		case 'nodes': {
			return askNodes(state, asker);
		}

		case 'review': {
			return askReview(state, asker, services);
		}
	}
}

/** One step, with Esc going back and Ctrl-C asking before it quits. */
async function step(state: WizardState, asker: Asker, services: WizardServices): Promise<WizardState> {
	try {
		return await askStep(state, asker, services);
	} catch (error) {
		if (error instanceof GoBack) {
			return wizardReducer(state, {type: 'back'});
		}

		if (!(error instanceof QuitRequested)) {
			throw error;
		}

		const file = state.environment.configPath;
		const quit = await asker
			.confirm(`Quit? Your answers are saved in ${file}; run kubeha again to go on.`, true)
			// A second Ctrl-C is an operator who means it.
			.catch((again: unknown) => again instanceof QuitRequested || again instanceof GoBack);
		return quit ? wizardReducer(state, {type: 'quit'}) : state;
	}
}

/**
The line-by-line front-end on @inquirer/prompts, for slow links, serial consoles and screen readers: the same steps
and questions as the TUI, one prompt at a time, no full-screen drawing.
*/
export const plainFrontEnd =
	(terminal: Terminal): FrontEnd =>
	async (initial, services) => {
		const asker = createAsker(terminal);
		let state = initial;
		asker.print(
			`kubeha: a cluster spec in a few questions. Enter takes the answer in brackets; Esc goes back a screen; Ctrl-C quits. Answers are saved to ${state.environment.configPath} as you go.`,
		);
		try {
			let shown: WizardState['history'] | undefined;
			while (!state.outcome) {
				if (state.history !== shown) {
					const steps = progress(state);
					const place = steps.findIndex((entry) => entry.status === 'current') + 1;
					asker.print(`\n== ${currentStep(state).title} (${place}/${steps.length}) ==`);
					shown = state.history;
				}

				const before = state;
				state = await step(state, asker, services);
				if (state.history !== before.history) {
					await services.save(state.answers).catch((error: unknown) => {
						asker.print(`Could not save ${state.environment.configPath}: ${String(error)}`);
					});
				}
			}

			return {outcome: state.outcome, answers: state.answers};
		} finally {
			asker.close();
		}
	};
