import {setTimeout as sleep} from 'node:timers/promises';
import type {SessionDependencies} from '../session/dependencies.ts';
import type {CommandOutput} from '../session/output.ts';
import {validSpec} from '../session/prepare.ts';
import {openSession, type SessionOptions} from '../session/session.ts';
import {type ClusterSpec, vipAddress} from '../spec/cluster.ts';
import {probeCluster} from '../status/probe.ts';
import {type StatusReport, statusReport} from '../status/report.ts';
import {formatStatusTable} from '../status/table.ts';
import type {ClusterStatus} from '../status/types.ts';
import {vipHoldersOf} from '../status/vip-holders.ts';

export type StatusOptions = SessionOptions & {
	readonly json?: boolean;
	readonly watch?: boolean;
};

/** A probe of the cluster, judged. */
type Probe = (signal: AbortSignal) => Promise<{status: ClusterStatus; report: StatusReport}>;

/** A live view of the status on a terminal (the program's edge gives one): resolves with the latest report. */
export type LiveStatusView = (options: {
	readonly probe: (signal: AbortSignal) => Promise<StatusReport>;
	readonly watch: boolean;
	readonly intervalMs: number;
}) => Promise<StatusReport | undefined>;

/** What the command needs from the world; without a live view, text or JSON lines. */
export type StatusDependencies = SessionDependencies & {readonly liveView?: LiveStatusView};

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
	dependencies: StatusDependencies,
): Promise<number> {
	const session = openSession(options, output, dependencies);
	// Status reads no secrets, so it never makes them as the commands that install do, and leaves warnings to
	// `kubeha validate`: a cron job's output is for the cluster's state.
	const {spec} = await validSpec(options.config, output);
	const {stateDirectory} = session;
	return session.withShell(spec, async (shell) => {
		const probe: Probe = async (signal) => {
			const status = await probeCluster({spec, shell, stateDirectory, signal, now: dependencies.now});
			return {status, report: statusReport(status, spec)};
		};
		if (dependencies.liveView && !options.json) {
			return exitCodeOf(
				await dependencies.liveView({
					probe: async (signal) => (await probe(signal)).report,
					watch: options.watch === true,
					intervalMs: watchIntervalMs,
				}),
			);
		}

		return printed(probe, spec, options, output, dependencies);
	});
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
