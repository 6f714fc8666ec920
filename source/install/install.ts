import {randomUUID} from 'node:crypto';
import {installSteps} from '../../steps/index.ts';
import type {InstallRun} from '../../steps/support/install-run.ts';
import type {Step} from '../../steps/types.ts';
import {driftedFiles, formatFilePlan, type HostFilePlan, planFiles} from '../plan/file-plan.ts';
import {maskHostCopy, secretPlaceholders} from '../plan/host-mask.ts';
import {installedFiles, planSummary} from '../plan/install-plan.ts';
import {renderCluster} from '../render/index.ts';
import type {HostFiles, Templates} from '../render/types.ts';
import type {RunEvent} from '../runner/events.ts';
import {Journal} from '../runner/journal.ts';
import {type Redact, redactor} from '../runner/redact.ts';
import {runSteps} from '../runner/runner.ts';
import type {Shell} from '../runner/shell.ts';
import {maskSecrets} from '../secrets/mask.ts';
import type {Secrets} from '../secrets/types.ts';
import type {SessionDependencies} from '../session/dependencies.ts';
import {formatEvent, type OutputFormat} from '../session/event-lines.ts';
import {agreed, driftAllowed, requireConsent} from '../session/gate.ts';
import {exitCodes, runOperation} from '../session/operation.ts';
import type {CommandOutput} from '../session/output.ts';
import type {Session, SessionOptions} from '../session/session.ts';
import type {ClusterSpec} from '../spec/cluster.ts';
import {appliedDirectory, readApplied, recordApplied} from './applied-record.ts';
import {readHostCopies} from './host-copies.ts';

/** The flags of `kubeha apply`, as every command that ends in an install hands them over. */
export type ApplyOptions = SessionOptions & {
	readonly dryRun?: boolean;
	readonly resume?: boolean;
	/** Go on when a file on a host was changed since the last apply (drift), overwriting it. */
	readonly overwriteDrift?: boolean;
	readonly output?: string;
	readonly concurrency?: string;
};

/** The apply a command ends with (remove-node's, the wizard's), as program.ts gives it. */
export type ApplyFlow = (
	options: ApplyOptions,
	output: CommandOutput,
	dependencies: SessionDependencies,
) => Promise<number>;

/** What an install works from: a valid spec with its secrets and templates, and the checked flags. */
export type InstallRequest = {
	readonly spec: ClusterSpec;
	readonly secrets: Secrets;
	readonly templates: Templates;
	readonly format: OutputFormat;
	readonly concurrency: number | undefined;
	readonly dryRun?: boolean | undefined;
	readonly resume?: boolean | undefined;
	readonly overwriteDrift?: boolean | undefined;
};

/** What the install asks before it changes the nodes, and what it does once the operator said yes. */
export type InstallHooks = {
	/** The question; by default whether to apply the cluster to its nodes. */
	readonly question?: string;
	/**
	Checks on the hosts once connected, before anything is shown or asked; a UserError stops with nothing changed
	(add-node makes sure the etcd cluster can take a member here).
	*/
	readonly connected?: (shell: Shell) => Promise<void>;
	/** Runs after the confirmation, before the first step (add-node writes cluster.yaml here). */
	readonly confirmed?: () => Promise<void>;
};

/** A shell for dry runs, where the runner calls none; if it ever did, the run fails instead of touching a host. */
const noShell: Shell = {
	run: () => Promise.reject(new Error('a dry run runs no command on the hosts')),
	close: async () => undefined,
};

/** The install of a request: rendered once, then dry-run or run. */
type Install = InstallRequest & {
	readonly session: Session;
	/** Rendered with the secrets, for the hosts. */
	readonly files: readonly HostFiles[];
	/** The files as the install leaves them on the hosts, with the secrets: what each host is compared with. */
	readonly installed: readonly HostFiles[];
	/** The same with the secrets masked: what is shown, and the record of what was applied. */
	readonly installedMasked: readonly HostFiles[];
	readonly redact: Redact;
	/** Prints a runner event in the chosen format. */
	readonly print: (event: RunEvent) => void;
	readonly steps: (shell: Shell) => Step[];
};

/**
Installs the cluster the spec describes, step by step on its nodes over ssh, skipping what is in place, after
showing what changes on each host against the files it has now; a dry run shows it all and changes nothing
(it reads the hosts' files).
*/
export function installCluster(session: Session, request: InstallRequest, hooks: InstallHooks = {}): Promise<number> {
	const {spec, secrets, templates} = request;
	const files = renderCluster(spec, secrets, templates);
	const redact = redactor(secrets);
	const placeholders = secretPlaceholders(secrets);
	const maskHost = (text: string, expectedMasked: string) => maskHostCopy(text, expectedMasked, placeholders, redact);
	const install: Install = {
		...request,
		session,
		files,
		installed: installedFiles(spec, files),
		installedMasked: installedFiles(spec, renderCluster(spec, maskSecrets(secrets), templates)),
		redact,
		print(event) {
			const line = formatEvent(event, {format: request.format, dryRun: request.dryRun === true});
			if (line !== undefined) {
				session.output.out(line);
			}
		},
		steps: (shell) => installSteps(installRun(session, shell, secrets)),
	};
	const plan = (shell: Shell) => showFilePlan(install, shell, maskHost);
	return request.dryRun ? dryRun(install, plan) : run(install, plan, hooks);
}

const installRun = (session: Session, shell: Shell, secrets: Secrets): InstallRun => ({
	runId: randomUUID(),
	facts: new Map(),
	now: session.dependencies.now,
	stateDirectory: session.stateDirectory,
	shell,
	clusterCaCertificate: secrets.clusterCa.cert,
});

type FilePlanShown = (shell: Shell) => Promise<HostFilePlan[]>;

/** The dry run: the plan, what each step would do on each host, and each host's files against the spec. */
async function dryRun(install: Install, plan: FilePlanShown): Promise<number> {
	const {session, spec} = install;
	session.say(planSummary(spec, install.steps(noShell)));
	await runSteps({
		steps: install.steps(noShell),
		spec,
		files: install.files,
		shell: noShell,
		redact: install.redact,
		onEvent: install.print,
		dryRun: true,
		concurrency: install.concurrency,
		now: session.dependencies.now,
		// Only reading: a dry run shows what a resumed run would skip, and never rewrites the journal.
		...(install.resume ? {journal: await Journal.open(session.stateDirectory, {resume: true})} : {}),
	});
	await session.withShell(spec, plan);
	return exitCodes.done;
}

/** Reads every host's managed files (reading only), compares them with the spec and the record, and shows it. */
async function showFilePlan(
	install: Install,
	shell: Shell,
	maskHost: (text: string, expectedMasked: string) => string,
): Promise<HostFilePlan[]> {
	const {session} = install;
	const record = appliedDirectory(session.stateDirectory);
	const applied = await readApplied(record);
	const plans = planFiles({
		expected: install.installed,
		masked: install.installedMasked,
		copies: await readHostCopies(shell, install.spec.nodes, install.installed),
		applied,
		maskHost,
	});
	if (install.format === 'json') {
		for (const plan of plans) {
			session.output.out(JSON.stringify({kind: 'host-files', ...plan}));
		}
	} else {
		session.output.out(formatFilePlan(plans, record, applied.size > 0));
	}

	return plans;
}

/**
The install: the plan against the hosts, confirmed (drift too), then the steps over ssh with settled host keys,
journaled, logged, interruptible; the applied files recorded once every step is done.
*/
async function run(install: Install, plan: FilePlanShown, hooks: InstallHooks): Promise<number> {
	const {session, spec} = install;
	requireConsent(session, `kubeha changes the nodes of ${spec.name}`, ' (`kubeha apply --dry-run` shows what it does)');
	session.say(planSummary(spec, install.steps(noShell)));
	return session.withShell(spec, async (shell) => {
		await hooks.connected?.(shell);
		const plans = await plan(shell);
		const question = hooks.question ?? `Apply cluster ${spec.name} to its ${spec.nodes.length} nodes?`;
		if (
			!(await driftAllowed(session, driftedFiles(plans), install.overwriteDrift === true)) ||
			!(await agreed(session, question))
		) {
			return exitCodes.failed;
		}

		await hooks.confirmed?.();
		const resumeCommand = `kubeha apply -c ${session.config} --resume`;
		const {status, logPath, shown} = await runOperation(session, {
			name: 'apply',
			what: 'the install',
			steps: install.steps(shell),
			spec,
			files: install.files,
			shell,
			redact: install.redact,
			resume: install.resume === true,
			resumeCommand,
			live: install.format === 'text',
			print: install.print,
			concurrency: install.concurrency,
		});
		if (status === 'done') {
			await recordApplied(appliedDirectory(session.stateDirectory), install.installedMasked);
		}

		// The live view's summary already says all of this.
		if (!shown) {
			session.say(
				status === 'done'
					? `cluster ${spec.name} is installed. The log of this run: ${logPath}`
					: `kubeha apply ${status === 'failed' ? 'failed' : 'stopped'}; the full log is ${logPath}. ${status === 'failed' ? 'Fix the cause, then' : 'When ready,'} run \`${resumeCommand}\` to go on where it stopped.`,
			);
		}

		return exitCodes[status];
	});
}
