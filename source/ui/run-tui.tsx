import {render} from 'ink';
import type {Finished, FrontEnd} from '../wizard/services.ts';
import {App} from './app.tsx';

export type TuiStreams = {readonly stdin: NodeJS.ReadStream; readonly stdout: NodeJS.WriteStream};

/**
Ink leaves stdin unref'd when it lets go of raw mode, so a prompt that reads it next (apply's "Apply cluster…?")
would not keep the process alive: it would end mid-question. Referenced again and paused, stdin is as a new
process has it: it keeps the process alive only while someone reads it.
*/
function handBack(stdin: NodeJS.ReadStream): void {
	stdin.pause();
	stdin.ref();
}

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
		handBack(streams.stdin);
		if (!finished) {
			throw new Error('the wizard closed without an outcome');
		}

		return finished;
	};
