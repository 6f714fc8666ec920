import type {WizardAction} from '../../wizard/state.ts';

/** What a key press on a screen leads to: the screen's new state, and what the wizard or the app should do. */
export type ScreenResult<S> = {
	readonly screen: S;
	readonly action?: WizardAction;
	/** Work the app does outside the reducer (it has the services). */
	readonly request?: 'check-hosts';
};
