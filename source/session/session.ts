import {mkdir} from 'node:fs/promises';
import {dirname, join, resolve} from 'node:path';
import type {Shell} from '../runner/shell.ts';
import type {SshOptions} from '../runner/ssh-shell.ts';
import type {ClusterSpec} from '../spec/cluster.ts';
import type {SessionDependencies} from './dependencies.ts';
import type {CommandOutput} from './output.ts';
import {parseSshOptions, type SshOption, writeSshConfig} from './ssh-config.ts';

/** The flags every command that reaches the nodes shares. */
export type ConnectOptions = {
	readonly acceptNewHostKeys?: boolean;
	/** `--ssh-option KEY=VALUE`, repeatable. */
	readonly sshOption?: readonly string[];
};

export type SessionOptions = ConnectOptions & {
	readonly config: string;
	/** --yes: the operator agreed before being asked. */
	readonly yes?: boolean;
};

/** The state directory beside the spec: journals, logs, the kubeconfig, the record of the last apply. */
export const stateDirectoryFor = (config: string): string => join(dirname(resolve(config)), '.kubeha');

/** One command's run: its spec's state directory, its dependencies, its words, and how it reaches the nodes. */
export type Session = {
	readonly config: string;
	readonly stateDirectory: string;
	readonly yes: boolean;
	readonly output: CommandOutput;
	readonly dependencies: SessionDependencies;
	/** Words for the operator: stdout, or stderr when stdout carries JSON. */
	readonly say: (text: string) => void;
	/**
	One shell to every node of the spec: the spec's ssh user, port and key, the `--ssh-option`s (through
	`<state directory>/ssh_config`), and host keys settled before the first connection.
	*/
	readonly connect: (spec: ClusterSpec) => Promise<Shell>;
	/** Connects, works, and closes the shell whatever happens. */
	readonly withShell: <T>(spec: ClusterSpec, work: (shell: Shell) => Promise<T>) => Promise<T>;
};

/** Opens a command's session; a malformed --ssh-option stops here, before anything is read or reached. */
export function openSession(
	options: SessionOptions,
	output: CommandOutput,
	dependencies: SessionDependencies,
	{json = false}: {readonly json?: boolean} = {},
): Session {
	const sshOptions = parseSshOptions(options.sshOption ?? []);
	const stateDirectory = stateDirectoryFor(options.config);
	const connect = async (spec: ClusterSpec) => {
		await mkdir(stateDirectory, {recursive: true, mode: 0o700});
		return connectToNodes(spec, stateDirectory, sshOptions, options.acceptNewHostKeys === true, dependencies, output);
	};

	return {
		config: options.config,
		stateDirectory,
		yes: options.yes === true,
		output,
		dependencies,
		say: json ? output.err : output.out,
		connect,
		async withShell(spec, work) {
			const shell = await connect(spec);
			try {
				return await work(shell);
			} finally {
				await shell.close();
			}
		},
	};
}

async function connectToNodes(
	spec: ClusterSpec,
	stateDirectory: string,
	sshOptions: readonly SshOption[],
	acceptNewHostKeys: boolean,
	dependencies: SessionDependencies,
	output: CommandOutput,
): Promise<Shell> {
	const configFile = await writeSshConfig(stateDirectory, sshOptions);
	const ssh: SshOptions = {
		user: spec.ssh.user,
		port: spec.ssh.port,
		...(spec.ssh.identityFile === undefined ? {} : {identityFile: spec.ssh.identityFile}),
		...(configFile === undefined ? {} : {configFile}),
	};
	const accept = await dependencies.confirmHostKeys({
		nodes: spec.nodes,
		ssh,
		acceptNewHostKeys,
		interactive: dependencies.interactive,
		confirm: dependencies.confirm,
		output,
	});
	return dependencies.openShell({...ssh, acceptNewHostKeys: accept});
}
