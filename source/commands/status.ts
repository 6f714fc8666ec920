import {mkdir} from 'node:fs/promises';
import {setTimeout as sleep} from 'node:timers/promises';
import {readSpecFile} from '../io/spec-file.ts';
import {UserError} from '../io/user-error.ts';
import {
	type ConnectDependencies,
	type ConnectOptions,
	connectToNodes,
	processConnectDependencies,
} from '../session/connect.ts';
import {formatFindings} from '../session/format-findings.ts';
import type {CommandOutput} from '../session/output.ts';
import {parseSshOptions} from '../session/ssh-config.ts';
import {type ClusterSpec, vipAddress} from '../spec/cluster.ts';
import {probeCluster} from '../status/probe.ts';
import {type StatusReport, statusReport} from '../status/report.ts';
import {formatStatusTable} from '../status/table.ts';
import type {ClusterStatus} from '../status/types.ts';
import {vipHoldersOf} from '../status/vip-holders.ts';
import {renderStatus} from '../ui/status/index.ts';
import {stateDirectoryFor} from './apply.ts';

export type StatusOptions = ConnectOptions & {
	readonly config: string;
	readonly json?: boolean;
	readonly watch?: boolean;
};

/** A probe of the cluster, judged. */
type Probe = (signal: AbortSignal) => Promise<{status: ClusterStatus; report: StatusReport}>;

/** What the command needs from the world, so that tests can stand in for the terminal, ssh and Ctrl-C. */
export type StatusDependencies = ConnectDependencies & {
	/** The live view on a terminal; without one, text or JSON lines. */
	readonly liveView?: typeof renderStatus;
	/** Calls the handler on Ctrl-C until the returned function is called (watching without a terminal). */
	readonly onInterrupt: (handler: () => void) => () => void;
	readonly now: () => number;
};

export const processStatusDependencies = (): StatusDependencies => ({
	...processConnectDependencies(),
	now: Date.now,
	...(process.stdout.isTTY && process.env['TERM'] !== 'dumb' ? {liveView: renderStatus} : {}),
});

/** How long `--watch` waits between the end of one probe and the next. */
export const watchIntervalMs = 5000;

/** Exit codes: healthy, degraded (or never checked), for cron and scripts. */
const exitCodes = {healthy: 0, degraded: 1} as const;
const exitCodeOf = (report: StatusReport | undefined): number =>
	report !== undefined && report.problems.length === 0 ? exitCodes.healthy : exitCodes.degraded;

/**
`kubeha status`: every node asked over ssh (the VIP, keepalived, haproxy's backends, the API server, etcd) and the
cluster through the Kubernetes API (nodes, leaders), judged by problemsOf. A live view on a terminal, a table
otherwise, JSON with --json; --watch checks again every few seconds. Exits 0 when healthy, 1 when degraded.
*/
export async function statusCommand(
	options: StatusOptions,
	output: CommandOutput,
	dependencies: StatusDependencies = processStatusDependencies(),
): Promise<number> {
	parseSshOptions(options.sshOption ?? []);
	const spec = await validSpec(options.config, output);
	const stateDirectory = stateDirectoryFor(options.config);
	await mkdir(stateDirectory, {recursive: true, mode: 0o700});
	const shell = await connectToNodes({spec, options, stateDirectory, dependencies, output});
	const probe: Probe = async (signal) => {
		const status = await probeCluster({spec, shell, stateDirectory, signal, now: dependencies.now});
		return {status, report: statusReport(status, spec)};
	};
	try {
		if (dependencies.liveView && !options.json) {
			return exitCodeOf(
				await dependencies.liveView({
					probe: async (signal) => (await probe(signal)).report,
					watch: options.watch === true,
					intervalMs: watchIntervalMs,
				}),
			);
		}

		return await printed(probe, spec, options, output, dependencies);
	} finally {
		await shell.close();
	}
}

/** Without a terminal (or with --json): a table or a JSON document per probe, once or until Ctrl-C. */
async function printed(
	probe: Probe,
	spec: ClusterSpec,
	options: StatusOptions,
	output: CommandOutput,
	dependencies: StatusDependencies,
): Promise<number> {
	const stop = new AbortController();
	const stopListening = dependencies.onInterrupt(() => stop.abort(new Error('stopped by Ctrl-C')));
	let last: StatusReport | undefined;
	try {
		do {
			const {status, report} = await probe(stop.signal);
			last = report;
			output.out(
				options.json
					? // One document per line, so that --watch gives a stream a program can read line by line.
						JSON.stringify(statusJson(status, report, spec), undefined, options.watch ? undefined : 2)
					: `${formatStatusTable(report)}${options.watch ? '\n' : ''}`,
			);
			if (options.watch) {
				await sleep(watchIntervalMs, undefined, {signal: stop.signal});
			}
		} while (options.watch);
	} catch (error) {
		// Ctrl-C ends --watch; the exit code is the last probe's.
		if (!stop.signal.aborted) {
			throw error;
		}
	} finally {
		stopListening();
	}

	return exitCodeOf(last);
}

/** `--json`: the verdict and problems first, the VIP's holders, then everything the probe found. */
export function statusJson(status: ClusterStatus, report: StatusReport, spec: ClusterSpec): object {
	const vip = vipAddress(spec);
	return {
		healthy: report.problems.length === 0,
		problems: report.problems,
		warnings: report.warnings,
		...(vip === undefined || spec.loadBalancer.mode === 'external'
			? {}
			: {vip: {address: vip, heldBy: vipHoldersOf(status).map((host) => host.node)}}),
		...status,
	};
}

/**
The spec, valid. Status reads no secrets, so it never makes them as the commands that install do, and leaves
warnings to `kubeha validate`: a cron job's output is for the cluster's state.
*/
async function validSpec(config: string, output: CommandOutput): Promise<ClusterSpec> {
	const {spec, findings, valid} = await readSpecFile(config);
	if (!valid || !spec) {
		output.err(formatFindings(findings, config));
		throw new UserError(`fix the errors in ${config}, then run the command again.`, 1);
	}

	return spec;
}
