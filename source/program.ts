import {Command, Option} from 'commander';
import {applyCommand} from './commands/apply.ts';
import {checkHostOverSsh} from './commands/check-host.ts';
import {exportCommand} from './commands/export.ts';
import type {CommandOutput} from './commands/io.ts';
import {renderCommand} from './commands/render.ts';
import {clusterJsonSchema} from './commands/schema.ts';
import {validateCommand} from './commands/validate.ts';
import {defaultSpecPath} from './io/spec-file.ts';
import {kubehaVersion} from './io/version.ts';
import {runWizard} from './wizard/run.ts';

/** The flags of every command that reaches the nodes over ssh (see ConnectOptions). */
export const withConnectionOptions = (command: Command): Command =>
	command
		.option(
			'--accept-new-host-keys',
			'trust nodes whose host key is not in known_hosts yet (their fingerprints are shown)',
		)
		.option(
			'--ssh-option <KEY=VALUE>',
			'an ssh_config option for every connection, e.g. UserKnownHostsFile=/path (repeatable)',
			(value: string, previous: string[]) => [...previous, value],
			[] as string[],
		);

/** Builds the command line; each action resolves to the process exit code. */
export function buildProgram(output: CommandOutput, exit: (code: number) => void): Command {
	const program = new Command('kubeha')
		.description('Plan, check, render and install a highly available Kubernetes control plane.')
		.version(kubehaVersion())
		.showHelpAfterError('(run kubeha --help for the commands)');
	const config = () =>
		new Option('-c, --config <file>', 'the cluster spec').default(defaultSpecPath).env('KUBEHA_CONFIG');
	const run =
		<T>(command: (options: T, output: CommandOutput) => Promise<number>) =>
		async (options: T) => {
			exit(await command(options, output));
		};

	// No command: the wizard. Options of the program come before a command, so `validate -c` stays validate's.
	program
		.enablePositionalOptions()
		.addOption(config())
		.option('--plain', 'ask one question per line (slow links, serial consoles, screen readers)')
		.action(
			run((options: {config: string; plain?: boolean}, out) =>
				runWizard({
					configPath: options.config,
					output: out,
					plain: options.plain === true,
					checkHost: checkHostOverSsh,
					// The wizard has let go of the terminal by now: apply may ask its own questions.
					apply: async (config) => applyCommand({config}, out),
				}),
			),
		);

	program
		.command('validate')
		.description('check a cluster spec; exit 0 when it has no errors (warnings allowed), 1 when it has')
		.addOption(config())
		.option('--json', 'print {"valid", "errors", "warnings"} as JSON')
		.option('--show-defaults', 'print the spec with every default filled in')
		.action(run(validateCommand));

	program
		.command('render')
		.description('print the files each host gets (secrets masked)')
		.addOption(config())
		.option('-n, --node <name>', 'only this node')
		.option('-f, --file <path>', 'only this file (absolute path on the host)')
		.option('--show-secrets', 'print secret values instead of placeholders')
		.action(run(renderCommand));

	program
		.command('export')
		.description("write the config bundle: every host's files, a README and SHA256SUMS")
		.addOption(config())
		.requiredOption('-o, --output <dir>', 'the bundle directory')
		.option('--tar <file>', 'also write a .tar.gz of the bundle')
		.option('--include-secrets', 'put the secrets in the bundle (it is then readable by you alone)')
		.action(run(exportCommand));

	const apply = program
		.command('apply')
		.description('install the cluster on its nodes over ssh, step by step, leaving what is in place alone')
		.addOption(config())
		.option('--dry-run', 'show what each step would do on each node and which files would change; touch nothing')
		.option(
			'--resume',
			'go on after a failed or stopped run, skipping the steps it finished (unless the spec changed them)',
		)
		.option('-y, --yes', 'do not ask before changing the nodes (needed without a terminal)')
		.addOption(
			new Option('--output <format>', 'text: timestamped lines; json: one JSON object per event')
				.choices(['text', 'json'])
				.default('text'),
		)
		.option('--concurrency <hosts>', 'how many nodes a step works on at once (default 10)');
	withConnectionOptions(apply).action(run(applyCommand));

	program
		.command('schema')
		.description('print the JSON Schema of cluster.yaml, for editors')
		.action(() => {
			output.out(JSON.stringify(clusterJsonSchema(), undefined, 2));
			exit(0);
		});

	return program;
}
