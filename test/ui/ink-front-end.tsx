import {App} from '../../source/ui/app.tsx';
import type {FrontEnd} from '../../source/wizard/services.ts';
import {type RenderedInk, renderInk} from '../helpers/render-ink.tsx';
import {outcome} from '../wizard/helpers.ts';

/** The TUI front-end on ink-testing-library's terminal, driven by `drive`. */
export const inkFrontEnd =
	(drive: (ui: RenderedInk) => Promise<void>): FrontEnd =>
	async (state, services) => {
		const done = outcome();
		const ui = renderInk(<App initial={state} services={services} onDone={done.onDone} />);
		await drive(ui);
		const finished = await done.finished;
		ui.unmount();
		return finished;
	};
