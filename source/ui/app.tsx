import {Box, Text, useApp, useWindowSize} from 'ink';
import {useReducer} from 'react';
import type {Finished, WizardServices} from '../wizard/services.ts';
import {canGoBack, currentStep, progress, type WizardState} from '../wizard/state.ts';
import {KeyHints} from './components/key-hints.tsx';
import {StepList} from './components/step-list.tsx';
import {appReducer, initialAppState, type ScreenState} from './hooks/use-app-state.ts';
import {useKeys} from './hooks/use-keys.ts';
import {useWizardEffects} from './hooks/use-wizard-effects.ts';
import {CurrentScreen} from './screens/current-screen.tsx';
import {QuitDialog} from './screens/quit-dialog.tsx';

type Props = {
	readonly initial: WizardState;
	readonly services: WizardServices;
	/** Called once, with how the operator left; the caller unmounts. */
	readonly onDone: (finished: Finished) => void;
};

const hints: Record<ScreenState['kind'], readonly (readonly [string, string])[]> = {
	menu: [
		['↑↓', 'choose'],
		['Enter', 'select'],
	],
	form: [
		['↑↓', 'move'],
		['←→', 'change'],
		['Enter', 'next'],
	],
	nodes: [
		['↑↓', 'row'],
		['Tab', 'column'],
		['Enter', 'next row'],
		['Ctrl-D', 'remove node'],
	],
	review: [
		['↑↓', 'file'],
		['PgUp/PgDn', 'scroll'],
		['Enter', 'continue'],
	],
};

/** Columns of the progress panel on the left; the screen takes the rest, which on 80 columns needs most of them. */
export const panelWidth = (columns: number): number => (columns >= 120 ? 34 : 22);

/** The wizard in the terminal: where the operator is on the left, the current screen on the right. */
export function App({initial, services, onDone}: Props) {
	const [state, dispatch] = useReducer(appReducer, initial, initialAppState);
	const {exit} = useApp();
	const {rows, columns} = useWindowSize();
	useKeys(dispatch, state.wizard.outcome === undefined);
	useWizardEffects(state, dispatch, services, (finished) => {
		onDone(finished);
		exit();
	});
	const {wizard} = state;
	const steps = progress(wizard);
	const step = currentStep(wizard);
	const place = steps.findIndex((entry) => entry.status === 'current') + 1;
	return (
		<Box flexDirection="column">
			<Text bold>{`kubeha · ${wizard.environment.configPath} · ${step.title} (${place}/${steps.length})`}</Text>
			<Box marginTop={1}>
				<StepList
					width={panelWidth(columns)}
					entries={steps.map((entry) => ({
						id: entry.step.id,
						title: entry.step.title,
						status: entry.status,
						summary: entry.step.summary(wizard.answers),
					}))}
				/>
				<Box flexDirection="column" flexGrow={1}>
					<CurrentScreen state={state} rows={rows} />
				</Box>
			</Box>
			<Box marginTop={1} flexDirection="column">
				{state.saveError ? (
					<Text color="red">{`Could not save ${wizard.environment.configPath}: ${state.saveError}`}</Text>
				) : undefined}
				{state.quitting ? (
					<QuitDialog file={wizard.environment.configPath} />
				) : (
					<KeyHints
						hints={[
							...hints[state.screen.kind],
							...(canGoBack(wizard) ? [['Esc', 'back'] as const] : []),
							['Ctrl-C', 'quit'],
						]}
					/>
				)}
			</Box>
		</Box>
	);
}
