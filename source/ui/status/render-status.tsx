import {render} from 'ink';
import type {StatusReport} from '../../status/report.ts';
import {StatusView, type StatusViewProps} from './status-view.tsx';

export type RenderStatusOptions = Omit<StatusViewProps, 'onExit'> & {
	readonly stdin?: NodeJS.ReadStream;
	readonly stdout?: NodeJS.WriteStream;
};

/**
Shows the status on the terminal: once, or while watching until q. Leaves the last frame in place and resolves
with the latest report (undefined when no probe succeeded).
*/
export async function renderStatus({stdin, stdout, ...props}: RenderStatusOptions): Promise<StatusReport | undefined> {
	let last: StatusReport | undefined;
	const instance = render(
		<StatusView
			{...props}
			onExit={(report) => {
				last = report;
				// After this render: ink's final frame must be the one showing the report.
				setTimeout(() => instance.unmount(), 0);
			}}
		/>,
		{...(stdin ? {stdin} : {}), ...(stdout ? {stdout} : {}), exitOnCtrlC: false},
	);
	await instance.waitUntilExit();
	return last;
}
