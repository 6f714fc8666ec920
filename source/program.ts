import {Command, Option} from 'commander';
import {faultNames} from './drill/fault-names.ts';
import {defaultSpecPath} from './io/default-spec-path.ts';
import {kubehaVersion} from './io/version.ts';
import type {SessionDependencies} from './session/dependencies.ts';
import {withConnectionFlags, withSharedFlags} from './session/flags.ts';
import type {CommandOutput} from './session/output.ts';
import type {ConnectOptions} from './session/session.ts';

type CommandAction<T> = (options: T, output: CommandOutput) => Promise<number>;

/**
A command whose module is imported when it runs, not when kubeha starts: loading modules is most of kubeha's
start-up, and `kubeha --version` or `validate` need none of the wizard's ink, the ssh commands' zx or x509.
*/
const lazy =
	<T>(load: () => Promise<CommandAction<T>>): CommandAction<T> =>
	async (options, output) =>
		(await load())(options, output);

/**
This process's terminal, ssh, Ctrl-C and clock, with the live view of a run when stdin and stdout are a terminal
that can draw it: the program's edge is the one place that hands a command the UI (commands never import ui/).
*/
async function processSession(): Promise<SessionDependencies> {
	const {drawableTerminal, processDependencies} = await import('./session/dependencies.ts');
	if (!(process.stdin.isTTY && drawableTerminal())) {
		return processDependencies();
	}

	const {inkProgressView} = await import('./ui/progress/ink-view.ts');
	return processDependencies({progressView: inkProgressView});
}

type SessionCommand<T> = (options: T, output: CommandOutput, dependencies: SessionDependencies) => Promise<number>;

/** A command that reaches the nodes: loaded when it runs, and given this process's dependencies then. */
const withSession =
	<T>(load: () => Promise<SessionCommand<T>>): CommandAction<T> =>
	async (options, output) =>
		(await load())(options, output, await processSession());

/** The apply flow, as apply runs it and remove-node and the wizard hand over to it. */
const applyFlow = async () => (await import('./commands/apply.ts')).applyCommand;

/** Builds the command line; each action resolves to the process exit code. */
export function buildProgram(output: CommandOutput, exit: (code: number) => void): Command {
	const program = new Command('kubeha')
		.description('Plan, check, render and install a highly available Kubernetes control plane.')
		.version(kubehaVersion())
		.showHelpAfterError('(run kubeha --help for the commands)');
	const config = () =>
		new Option('-c, --config <file>', 'the cluster spec').default(defaultSpecPath).env('KUBEHA_CONFIG');
	const run =
		<T>(command: CommandAction<T>) =>
		async (options: T) => {
			exit(await command(options, output));
		};

	// No command: the wizard. Options of the program come before a command, so `validate -c` stays validate's.
	// The connection options are for the install the wizard hands over to (apply, add-node).
	withConnectionFlags(
		program
			.enablePositionalOptions()
			.addOption(config())
			.option('--plain', 'ask one question per line (slow links, serial consoles, screen readers)'),
	).action(
		run(async (options: {config: string; plain?: boolean} & ConnectOptions, out) => {
			const {runWizard} = await import('./wizard/run.ts');
			const connection: ConnectOptions = {
				...(options.acceptNewHostKeys ? {acceptNewHostKeys: true} : {}),
				...(options.sshOption ? {sshOption: options.sshOption} : {}),
			};
			return runWizard({
				configPath: options.config,
				output: out,
				plain: options.plain === true,
				checkHost: async (node, ssh) => (await import('./commands/check-host.ts')).checkHostOverSsh(node, ssh),
				// The wizard has let go of the terminal by now: apply may ask its own questions.
				apply: async (config) => (await applyFlow())({config, ...connection}, out, await processSession()),
				// The same: add-node shows its plan and asks before it writes the node in and applies.
				addNode: async (config, {name, address, roles, priority}) =>
					(await import('./commands/add-node.ts')).addNodeCommand(
						{
							config,
							name,
							address,
							role: roles,
							...(priority === undefined ? {} : {priority: String(priority)}),
							...connection,
						},
						out,
						await processSession(),
					),
			});
		}),
	);

	program
		.command('validate')
		.description('check a cluster spec; exit 0 when it has no errors (warnings allowed), 1 when it has')
		.addOption(config())
		.option('--json', 'print {"valid", "errors", "warnings"} as JSON')
		.option('--show-defaults', 'print the spec with every default filled in')
		.action(run(lazy(async () => (await import('./commands/validate.ts')).validateCommand)));

	program
		.command('render')
		.description('print the files each host gets (secrets masked)')
		.addOption(config())
		.option('-n, --node <name>', 'only this node')
		.option('-f, --file <path>', 'only this file (absolute path on the host)')
		.option('--show-secrets', 'print secret values instead of placeholders')
		.action(run(lazy(async () => (await import('./commands/render.ts')).renderCommand)));

	program
		.command('export')
		.description("write the config bundle: every host's files, a README and SHA256SUMS")
		.addOption(config())
		.requiredOption('-o, --output <dir>', 'the bundle directory')
		.option('--tar <file>', 'also write a .tar.gz of the bundle')
		.option('--include-secrets', 'put the secrets in the bundle (it is then readable by you alone)')
		.action(run(lazy(async () => (await import('./commands/export.ts')).exportCommand)));

	withSharedFlags(
		program
			.command('apply')
			.description('install the cluster on its nodes over ssh, step by step, leaving what is in place alone')
			.addOption(config())
			.option('--dry-run', 'show what each step would do on each node and which files would change; touch nothing'),
		{
			resume: 'go on after a failed or stopped run, skipping the steps it finished (unless the spec changed them)',
			yes: 'changing the nodes',
			overwriteDrift: true,
			output: {text: 'timestamped lines', json: 'one JSON object per event'},
			concurrency: true,
			connection: true,
		},
	).action(run(withSession(applyFlow)));

	withSharedFlags(
		program
			.command('drill')
			.description(
				'on the VIP holder, take one piece down, measure how long the API is away through the VIP, put it back',
			)
			.addOption(config())
			.addOption(
				new Option('--fault <piece>', 'what to take down on the VIP holder').choices(faultNames).default('apiserver'),
			),
		{
			yes: 'taking the piece down',
			output: {text: 'a table', json: 'one JSON document with every figure'},
			connection: true,
		},
	)
		.option('--rounds <count>', 'drill this many times, one after the other, and report the medians (default 1)')
		.action(
			run(
				lazy(async () => {
					const {drillCommand, processDrillDependencies} = await import('./commands/drill.ts');
					return (options, out) => drillCommand(options, out, processDrillDependencies());
				}),
			),
		);

	withSharedFlags(
		program
			.command('remove-node')
			.description(
				'take a node out: drain, kubeadm reset, its etcd member and load balancer out, cluster.yaml without it, apply',
			)
			.addOption(config())
			.requiredOption('--name <node>', 'the node to remove, as named in cluster.yaml'),
		{
			resume: 'go on after a failed or stopped removal, skipping the steps it finished',
			yes: 'changing the nodes',
			connection: true,
		},
	).action(
		run(
			withSession(async () => {
				const [{removeNodeCommand}, apply] = await Promise.all([import('./commands/remove-node.ts'), applyFlow()]);
				return (options, out, dependencies) => removeNodeCommand(options, out, dependencies, apply);
			}),
		),
	);

	withSharedFlags(
		program
			.command('backup')
			.description('take an etcd snapshot from one healthy member and copy it here, with its SHA-256 beside it')
			.addOption(config())
			.option('--output-dir <dir>', 'where the snapshot goes (default: .kubeha/backups beside the spec)')
			.option('--schedule <daily|hourly>', 'instead: a systemd timer on every etcd member that snapshots there')
			.option('--keep <count>', 'with --schedule: how many snapshots each member keeps (default 7)'),
		{connection: true},
	).action(run(withSession(async () => (await import('./commands/backup.ts')).backupCommand)));

	withSharedFlags(
		program
			.command('restore')
			.description('put an etcd snapshot back onto every member of an external etcd cluster (asks first)')
			.addOption(config())
			.requiredOption('--snapshot <file>', 'the .db file kubeha backup wrote'),
		{yes: 'replacing the data', connection: true},
	).action(run(withSession(async () => (await import('./commands/restore.ts')).restoreCommand)));

	withSharedFlags(
		program
			.command('add-node')
			.description('add a node to cluster.yaml (comments kept) and install it, changing only what must know of it')
			.addOption(config())
			.requiredOption('--name <name>', 'the new node: host name and Kubernetes node name')
			.requiredOption('--address <address>', 'its IPv4 address')
			.requiredOption(
				'--role <role>',
				'control-plane, worker, load-balancer or etcd (repeatable)',
				(value: string, previous: string[]) => [...previous, value],
				[] as string[],
			)
			.option('--priority <priority>', 'keepalived priority of a load-balancer node (default: below every other)')
			.option('--dry-run', 'show the spec change and what each node would get; change nothing'),
		{yes: 'changing cluster.yaml and the nodes', overwriteDrift: true, connection: true},
	).action(run(withSession(async () => (await import('./commands/add-node.ts')).addNodeCommand)));

	withSharedFlags(
		program
			.command('status')
			.description(
				'check the cluster on its nodes (VIP, keepalived, haproxy, API servers, etcd) and through its API; exit 0 when healthy, 1 when degraded',
			)
			.addOption(config())
			.option('--json', 'print the status and its problems as JSON')
			.option('--watch', 'check again every 5 s (q or Ctrl-C stops)'),
		{connection: true},
	).action(
		run(
			lazy(async () => {
				const [{statusCommand}, {drawableTerminal, processDependencies}] = await Promise.all([
					import('./commands/status.ts'),
					import('./session/dependencies.ts'),
				]);
				// The live status view draws on stdout; it needs no stdin to read from when it does not watch.
				const liveView = drawableTerminal() ? (await import('./ui/status/index.ts')).renderStatus : undefined;
				return (options, out) =>
					statusCommand(options, out, {...processDependencies(), ...(liveView ? {liveView} : {})});
			}),
		),
	);

	const certsRenew = program
		.command('certs')
		.description("kubeadm's certificates of the control planes")
		.command('renew')
		.description(
			'renew them on one control plane at a time (restarted, back in haproxy before the next), then fetch the admin kubeconfig again',
		)
		.addOption(config())
		.option('--dry-run', 'show what each step would do on each node; touch nothing')
		.option('--resume', 'go on after a failed or stopped run, skipping the steps it finished')
		.option('-y, --yes', 'do not ask before restarting the control planes (needed without a terminal)')
		.option(
			'--schedule',
			'instead, install a daily timer on each control plane, at its own time, that renews within the margin',
		)
		.option(
			'--margin-days <days>',
			'with --schedule: renew once the earliest certificate has fewer days left (default 30)',
		);
	withConnectionFlags(certsRenew).action(
		run(lazy(async () => (await import('./commands/certs.ts')).certsRenewCommand)),
	);

	program
		.command('schema')
		.description('print the JSON Schema of cluster.yaml, for editors')
		.action(async () => {
			const {clusterJsonSchema} = await import('./commands/schema.ts');
			output.out(JSON.stringify(clusterJsonSchema(), undefined, 2));
			exit(0);
		});

	return program;
}
