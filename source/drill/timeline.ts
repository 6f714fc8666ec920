// What a drill saw, as figures: pure functions of the probes sent through the VIP and the VIP's holders over time.
// Times are milliseconds on the drill's own monotonic clock.

/** One GET /healthz through the VIP: when it was sent and when it ended, and how. */
export type ProbeResult = {
	readonly startedAt: number;
	readonly endedAt: number;
	readonly ok: boolean;
	/** Why it failed: an error code (ECONNREFUSED), `timeout`, or `HTTP <status>`. */
	readonly error?: string;
};

/** A load-balancer node was seen to start or stop holding the VIP. */
export type HolderChange = {readonly at: number; readonly node: string; readonly holds: boolean};

/** How the API and the VIP fared from one moment (a fault, a restore) on. */
export type Figures = {
	/**
	From the moment until a node other than the holder at that moment held the VIP; absent when none did. Figures
	are whole milliseconds and never negative: what happened before the moment (after `requestsFrom`) counts as 0.
	*/
	readonly vipMovedAfterMs?: number;
	readonly newHolder?: string;
	/**
	From the moment to the end of the first successful request sent after the first failed one: when the API
	answered again. 0 when no request failed; absent when none succeeded after the first failure.
	*/
	readonly apiBackAfterMs?: number;
	/** From the moment to the sending of the last failed request (0 when it was in flight already). */
	readonly lastFailureAfterMs?: number;
	readonly requests: number;
	readonly failedRequests: number;
	/** Failed requests by reason. */
	readonly errors: Readonly<Record<string, number>>;
};

/** The first time after `since` that a node other than `holder` took the VIP. */
export function vipMove(
	changes: readonly HolderChange[],
	since: number,
	holder: string,
): {readonly at: number; readonly node: string} | undefined {
	const taken = [...changes]
		.sort((a, b) => a.at - b.at)
		.find((change) => change.at >= since && change.holds && change.node !== holder);
	return taken === undefined ? undefined : {at: taken.at, node: taken.node};
}

/** The requests that count from `since`: those still running at that moment or sent after it, in sending order. */
const probesFrom = (probes: readonly ProbeResult[], since: number, until: number): ProbeResult[] =>
	probes.filter((probe) => probe.endedAt >= since && probe.startedAt < until).sort((a, b) => a.startedAt - b.startedAt);

function countErrors(failed: readonly ProbeResult[]): Record<string, number> {
	const errors: Record<string, number> = {};
	for (const probe of failed) {
		const reason = probe.error ?? 'failed';
		errors[reason] = (errors[reason] ?? 0) + 1;
	}

	return errors;
}

/**
The figures from `since` (a fault, a restore) to `until`, with `holder` holding the VIP at `since`. Requests
count from `requestsFrom` when it is earlier: a fault takes effect somewhere between sending its command and
the command's end, and a request that failed in between must not be missed.
*/
export function figuresOf(input: {
	readonly since: number;
	readonly requestsFrom?: number;
	readonly until: number;
	readonly holder: string;
	readonly probes: readonly ProbeResult[];
	readonly changes: readonly HolderChange[];
}): Figures {
	const {since} = input;
	const from = Math.min(since, input.requestsFrom ?? since);
	const probes = probesFrom(input.probes, from, input.until);
	const failed = probes.filter((probe) => !probe.ok);
	const moved = vipMove(input.changes, from, input.holder);
	const firstFailure = failed[0];
	const lastFailure = failed.at(-1);
	const backAt =
		firstFailure === undefined
			? since
			: probes.find((probe) => probe.ok && probe.startedAt >= firstFailure.startedAt)?.endedAt;
	const after = (at: number) => Math.round(Math.max(0, at - since));
	return {
		...(moved === undefined ? {} : {vipMovedAfterMs: after(moved.at), newHolder: moved.node}),
		...(backAt === undefined ? {} : {apiBackAfterMs: after(backAt)}),
		...(lastFailure === undefined ? {} : {lastFailureAfterMs: after(lastFailure.startedAt)}),
		requests: probes.length,
		failedRequests: failed.length,
		errors: countErrors(failed),
	};
}

/**
Whether the API answered steadily from `from` on: at least `minimum` requests sent since then have ended, and
none of them failed. A drill waits for this before it calls a failover over, so a late failure (a dead API
server that the new holder's haproxy has not marked down yet) is counted, not missed.
*/
export function steadySince(probes: readonly ProbeResult[], from: number, minimum: number): boolean {
	const recent = probes.filter((probe) => probe.startedAt >= from);
	return recent.length >= minimum && recent.every((probe) => probe.ok);
}
