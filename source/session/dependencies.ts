import {confirm} from '@inquirer/prompts';
import type {RunEvent} from '../runner/events.ts';
import type {Shell} from '../runner/shell.ts';
import {openSshShell, type SshOptions} from '../runner/ssh-shell.ts';
import {confirmHostKeys, type HostKeyCheck} from './known-hosts.ts';

/** Calls the handler on each Ctrl-C until the returned function is called. */
export type OnInterrupt = (handler: () => void) => () => void;

/** What a live view of a run is told when it starts. */
export type ProgressViewOptions = {
	readonly logPath: string;
	readonly resumeCommand: string;
	/** The operator confirmed Ctrl-C in the view: stop the run. */
	readonly onAbortRequest: () => void;
};

/** A live view of a run on the terminal (the program's edge gives one: commands never draw). */
export type ProgressView = {
	readonly push: (event: RunEvent) => void;
	/** Ends the view once the run is over; resolves when its last frame is drawn. */
	readonly close: () => Promise<void>;
};

/** What reaching the nodes needs from the world: a person to ask, ssh, host keys, Ctrl-C. */
export type ConnectDependencies = {
	/** A person at a terminal can answer questions. */
	readonly interactive: boolean;
	readonly confirm: (message: string) => Promise<boolean>;
	readonly openShell: (options: SshOptions) => Promise<Shell>;
	/** Settles the host keys before the first connection; resolves to whether ssh may accept new keys. */
	readonly confirmHostKeys: (check: HostKeyCheck) => Promise<boolean>;
	readonly onInterrupt: OnInterrupt;
};

/** What a command needs from the world, so that tests can stand in for the terminal, ssh, Ctrl-C and the clock. */
export type SessionDependencies = ConnectDependencies & {
	readonly now: () => number;
	/** A live view of a run on a terminal; without one, the events are printed as lines. */
	readonly progressView?: (options: ProgressViewOptions) => ProgressView;
};

/** Whether stdout is a terminal a live view can draw on. */
export const drawableTerminal = (): boolean => Boolean(process.stdout.isTTY) && process.env['TERM'] !== 'dumb';

/** This process's terminal, ssh, Ctrl-C and clock; the program's edge adds the live view. */
export const processDependencies = (view: Pick<SessionDependencies, 'progressView'> = {}): SessionDependencies => ({
	interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
	confirm: (message) => confirm({message, default: false}),
	openShell: openSshShell,
	confirmHostKeys,
	onInterrupt(handler) {
		process.on('SIGINT', handler);
		return () => process.off('SIGINT', handler);
	},
	now: Date.now,
	...view,
});
