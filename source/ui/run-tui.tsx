import {render} from 'ink';
import type {Finished, FrontEnd} from '../wizard/services.ts';
import {App} from './app.tsx';

export type TuiStreams = {readonly stdin: NodeJS.ReadStream; readonly stdout: NodeJS.WriteStream};

/**
The ink front-end: mounts the app on the terminal and resolves with the outcome once it has unmounted, so that
nothing else reads the terminal while ink owns it.
*/
export const tuiFrontEnd =
	(streams: TuiStreams): FrontEnd =>
	async (state, services) => {
		let finished: Finished | undefined;
		const instance = render(
			<App
				initial={state}
				services={services}
				onDone={(result) => {
					finished = result;
				}}
			/>,
			{...streams, exitOnCtrlC: false, alternateScreen: true, interactive: true},
		);
		await instance.waitUntilExit();
		if (!finished) {
			throw new Error('the wizard closed without an outcome');
		}

		return finished;
	};
