import {mkdir} from 'node:fs/promises';
import {dirname, join, resolve} from 'node:path';
import {certificateRenewalSteps, renewalScheduleSteps} from '../../steps/certs/index.ts';
import type {InstallRun} from '../../steps/support/install-run.ts';
import type {Step} from '../../steps/types.ts';
import {defaultMarginDays, maxMarginDays} from '../certs/schedule.ts';
import {UserError} from '../io/user-error.ts';
import {stepLines} from '../plan/step-lines.ts';
import {Journal} from '../runner/journal.ts';
import {openLogFile} from '../runner/log-file.ts';
import {redactor} from '../runner/redact.ts';
import {runSteps} from '../runner/runner.ts';
import type {Shell} from '../runner/shell.ts';
import {processDependencies, type SessionDependencies} from '../session/dependencies.ts';
import {formatEvent} from '../session/event-lines.ts';
import type {CommandOutput} from '../session/output.ts';
import {prepare} from '../session/prepare.ts';
import {type ConnectOptions, openSession} from '../session/session.ts';
import type {ClusterSpec} from '../spec/cluster.ts';

export type CertsRenewOptions = ConnectOptions & {
	readonly config: string;
	readonly yes?: boolean;
	readonly dryRun?: boolean;
	/** Skip what the last `certs renew` finished (its own journal, not apply's). */
	readonly resume?: boolean;
	/** Install the daily timers instead of renewing now. */
	readonly schedule?: boolean;
	/** `--margin-days`, as typed. */
	readonly marginDays?: string;
};

export type CertsDependencies = SessionDependencies;

/** Exit codes, as the other acting commands: done, failed, stopped by Ctrl-C. */
const exitCodes = {done: 0, failed: 1, aborted: 130} as const;

/** The state directory beside the spec (apply's too), and this command's journal within it. */
const stateDirectoryOf = (config: string): string => join(dirname(resolve(config)), '.kubeha');
const journalDirectory = (stateDirectory: string): string => join(stateDirectory, 'certs-renew');

function marginOf(text: string | undefined): number {
	if (text === undefined) return defaultMarginDays;
	const days = Number(text);
	if (!Number.isInteger(days) || days < 1 || days > maxMarginDays) {
		throw new UserError(
			`--margin-days ${text}: give a whole number of days from 1 to ${maxMarginDays} (kubeadm's certificates last 365 days; the default, ${defaultMarginDays}, renews before status warns).`,
		);
	}
	return days;
}

/** What runs, before the question: each step, its hosts and its lines. */
function planText(spec: ClusterSpec, steps: readonly Step[], what: string): string {
	return [`kubeha ${what} on cluster ${spec.name}:`, ...stepLines(spec, steps)].join('\n');
}

/**
`kubeha certs renew`: kubeadm's certificates renewed on one control plane after another, each restarted and back
in every haproxy before the next; the admin kubeconfig fetched again. `--schedule` installs daily timers that do
the same on each node at its own time. A thin command of its own until the shared command session (issue #16)
adopts it: its steps are data (steps/certs/), its journal its own, so `--resume` goes on after the last done step.
*/
export async function certsRenewCommand(
	options: CertsRenewOptions,
	output: CommandOutput,
	dependencies: CertsDependencies = processDependencies(),
): Promise<number> {
	const session = openSession(options, output, dependencies);
	const marginDays = marginOf(options.marginDays);
	const {spec, secretsFile, templates} = await prepare(options.config, output);
	const stateDirectory = stateDirectoryOf(options.config);
	const redact = redactor(secretsFile.secrets);
	const plan = (shell: Shell) => {
		const run: InstallRun = {
			runId: String(dependencies.now()),
			facts: new Map(),
			now: dependencies.now,
			stateDirectory,
			shell,
			clusterCaCertificate: secretsFile.secrets.clusterCa.cert,
		};
		return options.schedule ? renewalScheduleSteps(templates, marginDays) : certificateRenewalSteps(spec, run);
	};
	const what = options.schedule
		? `schedules the renewal of kubeadm's certificates within ${marginDays} days of expiry`
		: "renews kubeadm's certificates, one control plane at a time";
	if (options.dryRun) {
		output.out(planText(spec, plan(noShell), what));
		output.out('a dry run: nothing was changed.');
		return exitCodes.done;
	}

	if (!options.yes && !dependencies.interactive) {
		throw new UserError(
			`kubeha certs renew restarts the control planes of ${spec.name}; confirm it in a terminal, or pass --yes (\`--dry-run\` shows what it does).`,
		);
	}

	await mkdir(journalDirectory(stateDirectory), {recursive: true, mode: 0o700});
	const shell = await session.connect(spec);
	try {
		const steps = plan(shell);
		output.out(planText(spec, steps, what));
		if (!options.yes && !(await dependencies.confirm('Go on?'))) {
			output.out('nothing was changed.');
			return exitCodes.failed;
		}

		const journal = await Journal.open(journalDirectory(stateDirectory), {resume: options.resume === true});
		const log = await openLogFile(join(stateDirectory, 'logs'), new Date(dependencies.now()), redact);
		const stop = new AbortController();
		// Every step can run again (a renewal renews again, a restart brings back what it held): Ctrl-C stops at once.
		const stopListening = dependencies.onInterrupt(() => stop.abort(new Error('stopped by Ctrl-C')));
		try {
			const {status} = await runSteps({
				steps,
				spec,
				files: [],
				shell,
				redact,
				journal,
				onEvent(event) {
					log.onEvent(event);
					const line = formatEvent(event, {format: 'text'});
					if (line !== undefined) output.out(line);
				},
				signal: stop.signal,
				now: dependencies.now,
			});
			output.out(
				status === 'done'
					? `the log of this run: ${log.path}`
					: `stopped (${status}); fix the cause, then \`kubeha certs renew -c ${options.config} --resume\` goes on where it stopped. The log: ${log.path}`,
			);
			return exitCodes[status];
		} finally {
			stopListening();
			await log.close();
		}
	} finally {
		await shell.close();
	}
}

/** A shell for dry runs, where the runner calls none. */
const noShell: Shell = {
	run: () => Promise.reject(new Error('a dry run runs no command on the hosts')),
	close: async () => undefined,
};
