import {type Dispatch, useEffect, useEffectEvent, useRef} from 'react';
import type {Finished, WizardServices} from '../../wizard/services.ts';
import {canLeave, currentStep, type Outcome} from '../../wizard/state.ts';
import type {AppAction, AppState} from './use-app-state.ts';

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
The TUI's work outside the reducer, all through the injected services: saving when the operator moves to another
screen, rendering the review, checking the hosts, and handing the outcome back. Each effect runs when the one value
it watches changes and reads the rest of the state as it is then.
*/
export function useWizardEffects(
	state: AppState,
	dispatch: Dispatch<AppAction>,
	services: WizardServices,
	onDone: (finished: Finished) => void,
): void {
	const {wizard} = state;
	const firstHistory = useRef(wizard.history);
	const save = useEffectEvent((history: AppState['wizard']['history']) => {
		// Nothing is answered before the first move; an opened file stays as it is.
		if (history === firstHistory.current) {
			return;
		}

		services.save(wizard.answers).then(
			() => {
				dispatch({type: 'saved'});
			},
			(error: unknown) => {
				dispatch({type: 'saved', error: messageOf(error)});
			},
		);
	});
	useEffect(() => {
		save(wizard.history);
	}, [wizard.history]);

	const reviewing = currentStep(wizard).kind === 'review' && state.review.status === 'idle' && canLeave(wizard);
	const review = useEffectEvent((start: boolean) => {
		if (!start) {
			return;
		}

		dispatch({type: 'review-started'});
		services.review(wizard.answers).then(
			(result) => {
				dispatch({type: 'review-loaded', review: result});
			},
			(error: unknown) => {
				dispatch({type: 'review-failed', message: messageOf(error)});
			},
		);
	});
	useEffect(() => {
		review(reviewing);
	}, [reviewing]);

	const check = useEffectEvent((round: number) => {
		const {checkHost} = services;
		if (round === 0 || !checkHost) {
			return;
		}

		for (const node of wizard.answers.spec.nodes) {
			checkHost(node, wizard.answers.spec.ssh).then(
				(result) => {
					dispatch({type: 'host-checked', node: node.name, result});
				},
				(error: unknown) => {
					dispatch({type: 'host-checked', node: node.name, result: {reachable: false, detail: messageOf(error)}});
				},
			);
		}
	});
	useEffect(() => {
		check(state.checkRound);
	}, [state.checkRound]);

	const finish = useEffectEvent((outcome: Outcome | undefined) => {
		if (outcome) {
			onDone({outcome, answers: wizard.answers});
		}
	});
	useEffect(() => {
		finish(wizard.outcome);
	}, [wizard.outcome]);
}
