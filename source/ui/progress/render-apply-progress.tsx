import {render} from 'ink';
import {ApplyProgress, type ApplyProgressProps, type ProgressEnd} from './apply-progress.tsx';
import type {RunEnd} from './progress-state.ts';

export type RenderApplyProgressOptions = Omit<ApplyProgressProps, 'onEnd'> & {
	readonly stdin?: NodeJS.ReadStream;
	readonly stdout?: NodeJS.WriteStream;
};

/**
Shows the install on the terminal until the run ends, then leaves the last frame (the summary) in place.
Resolves with the run's end, or undefined when the events stopped without one (the caller has the runner's
error); rejects when reading the events threw. Ctrl-C is the view's to handle while it is mounted.
*/
export async function renderApplyProgress({
	stdin,
	stdout,
	...props
}: RenderApplyProgressOptions): Promise<RunEnd | undefined> {
	let result: ProgressEnd = {end: undefined};
	const instance = render(
		<ApplyProgress
			{...props}
			onEnd={(end) => {
				result = end;
				// Not from inside this effect: React runs it before <Static> has re-rendered without the items it
				// just printed, and ink's final frame would print the last step a second time.
				setTimeout(() => instance.unmount(), 0);
			}}
		/>,
		{
			...(stdin ? {stdin} : {}),
			...(stdout ? {stdout} : {}),
			exitOnCtrlC: false,
			// Only the live rows change between frames; redrawing just them keeps a busy run from flickering.
			incrementalRendering: true,
		},
	);
	await instance.waitUntilExit();
	if (result.error !== undefined) {
		throw result.error;
	}

	return result.end;
}
