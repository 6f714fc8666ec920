import {confirm} from '@inquirer/prompts';
import type {Shell} from '../runner/shell.ts';
import {openSshShell, type SshOptions} from '../runner/ssh-shell.ts';
import type {ClusterSpec} from '../spec/cluster.ts';
import {confirmHostKeys, type HostKeyCheck} from './known-hosts.ts';
import type {CommandOutput} from './output.ts';
import {parseSshOptions, writeSshConfig} from './ssh-config.ts';

/** What a command that reaches the nodes needs from the world; tests stand in for the terminal and ssh. */
export type ConnectDependencies = {
	/** A person at a terminal can answer questions. */
	readonly interactive: boolean;
	readonly confirm: (message: string) => Promise<boolean>;
	readonly openShell: (options: SshOptions) => Promise<Shell>;
	/** Settles the host keys before the first connection; resolves to whether ssh may accept new keys. */
	readonly confirmHostKeys: (check: HostKeyCheck) => Promise<boolean>;
};

/** Calls the handler on each Ctrl-C until the returned function is called. */
export type OnInterrupt = (handler: () => void) => () => void;

/** This process's terminal, ssh and Ctrl-C, for the commands that reach the nodes. */
export const processConnectDependencies = (): ConnectDependencies & {readonly onInterrupt: OnInterrupt} => ({
	interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
	confirm: (message) => confirm({message, default: false}),
	openShell: openSshShell,
	confirmHostKeys,
	onInterrupt(handler) {
		process.on('SIGINT', handler);
		return () => process.off('SIGINT', handler);
	},
});

/** The flags every command that reaches the nodes shares. */
export type ConnectOptions = {
	readonly acceptNewHostKeys?: boolean;
	/** `--ssh-option KEY=VALUE`, repeatable. */
	readonly sshOption?: readonly string[];
};

/**
One shell to every node of the spec, as kubeha apply connects: the spec's ssh user, port and key, the
`--ssh-option`s (through `<state directory>/ssh_config`), and host keys settled before the first connection.
*/
export async function connectToNodes(request: {
	readonly spec: ClusterSpec;
	readonly options: ConnectOptions;
	readonly stateDirectory: string;
	readonly dependencies: ConnectDependencies;
	readonly output: CommandOutput;
}): Promise<Shell> {
	const {spec, options, dependencies} = request;
	const configFile = await writeSshConfig(request.stateDirectory, parseSshOptions(options.sshOption ?? []));
	const ssh: SshOptions = {
		user: spec.ssh.user,
		port: spec.ssh.port,
		...(spec.ssh.identityFile === undefined ? {} : {identityFile: spec.ssh.identityFile}),
		...(configFile === undefined ? {} : {configFile}),
	};
	const acceptNewHostKeys = await dependencies.confirmHostKeys({
		nodes: spec.nodes,
		ssh,
		acceptNewHostKeys: options.acceptNewHostKeys === true,
		interactive: dependencies.interactive,
		confirm: dependencies.confirm,
		output: request.output,
	});
	return dependencies.openShell({...ssh, acceptNewHostKeys});
}
