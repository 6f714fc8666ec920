import {request} from 'node:https';
import type {ProbeResult} from './timeline.ts';

/** What the drill asks through the VIP, and how long it waits for an answer. */
export type ProbeTarget = {
	/** `https://<vip>:<port>/healthz` */
	readonly url: string;
	/**
	The cluster CA (PEM): the answer must come from an API server of this cluster. Every kube-apiserver
	certificate kubeha has kubeadm make names the VIP, so the address itself verifies.
	*/
	readonly ca: string;
	readonly timeoutMs: number;
};

/** How one probe went: ok, or the reason it failed. */
export type ProbeOutcome = {readonly ok: boolean; readonly error?: string};

/** Sends one probe. */
export type Probe = (target: ProbeTarget) => Promise<ProbeOutcome>;

/**
One GET on a fresh connection (no keep-alive: each probe must find its way through the VIP, the holder's
haproxy and an API server anew, as a new client would). Anything but 200 within the time-out is a failure.
*/
export const probeOnce: Probe = (target) =>
	new Promise((resolve) => {
		const outgoing = request(target.url, {
			ca: target.ca,
			agent: false,
			signal: AbortSignal.timeout(target.timeoutMs),
		});
		outgoing.on('response', (response) => {
			response.resume();
			response.on('end', () =>
				resolve(response.statusCode === 200 ? {ok: true} : {ok: false, error: `HTTP ${response.statusCode}`}),
			);
			response.on('error', (error) => resolve({ok: false, error: reasonOf(error)}));
		});
		outgoing.on('error', (error) => resolve({ok: false, error: reasonOf(error)}));
		outgoing.end();
	});

/** A short reason: the system's error code, `timeout` for our own time-out. */
function reasonOf(error: Error): string {
	if (error.name === 'AbortError' || error.name === 'TimeoutError') {
		return 'timeout';
	}

	return (error as NodeJS.ErrnoException).code ?? error.message;
}

/** Probes sent at a steady rate, whatever the earlier ones are doing, and what came of them. */
export type Prober = {
	/** The probes that have ended, in the order they ended. */
	readonly results: readonly ProbeResult[];
	/** Stops sending and resolves once the probes in flight have ended. */
	readonly stop: () => Promise<void>;
};

/**
Starts sending a probe every `intervalMs`, each on its own, like clients that keep coming whatever happens to
earlier ones: a hung connection costs its own time-out, not the next probe's. At most enough probes to span the
time-out are in flight at once, so a dead VIP cannot pile up connections.
*/
export function startProbing(options: {
	readonly target: ProbeTarget;
	readonly intervalMs: number;
	readonly now: () => number;
	readonly probe?: Probe;
}): Prober {
	const {target, now, probe = probeOnce} = options;
	const results: ProbeResult[] = [];
	const inFlight = new Set<Promise<void>>();
	const limit = Math.ceil(target.timeoutMs / options.intervalMs) + 1;
	const send = () => {
		if (inFlight.size >= limit) {
			return;
		}

		const startedAt = now();
		const running = probe(target)
			.catch((error: Error): ProbeOutcome => ({ok: false, error: reasonOf(error)}))
			.then((outcome) => {
				results.push({startedAt, endedAt: now(), ...outcome});
				inFlight.delete(running);
			});
		inFlight.add(running);
	};

	send();
	const timer = setInterval(send, options.intervalMs);
	return {
		results,
		async stop() {
			clearInterval(timer);
			await Promise.all(inFlight);
		},
	};
}
