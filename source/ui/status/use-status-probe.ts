import {setTimeout as sleep} from 'node:timers/promises';
import {useEffect, useReducer, useRef} from 'react';
import type {StatusReport} from '../../status/report.ts';
import {initialStatusViewState, type StatusViewState, statusViewReducer} from './status-state.ts';

export type ProbeReport = (signal: AbortSignal) => Promise<StatusReport>;

/**
Probes once, or (`watch`) again `intervalMs` after each probe ends, while `active`; turning inactive or unmounting
aborts the probe that runs. `onSettled` is called after each probe with the report (undefined when it failed).
*/
export function useStatusProbe(
	probe: ProbeReport,
	{
		active,
		watch,
		intervalMs,
		onSettled,
	}: {active: boolean; watch: boolean; intervalMs: number; onSettled: (report?: StatusReport) => void},
): StatusViewState {
	const [state, dispatch] = useReducer(statusViewReducer, initialStatusViewState);
	// The latest callback, without restarting the probes when a caller passes a new one on each render.
	const settled = useRef(onSettled);
	settled.current = onSettled;
	useEffect(() => {
		if (!active) {
			return;
		}

		const stop = new AbortController();
		const loop = async () => {
			do {
				dispatch({type: 'probe-started'});
				try {
					const report = await probe(stop.signal);
					dispatch({type: 'probe-finished', report});
					settled.current(report);
				} catch (error) {
					if (stop.signal.aborted) {
						return;
					}

					dispatch({type: 'probe-failed', error: error instanceof Error ? error.message : String(error)});
					settled.current();
				}

				if (watch) {
					await sleep(intervalMs, undefined, {signal: stop.signal});
				}
			} while (watch && !stop.signal.aborted);
		};

		// Only an abort ends the loop early; its rejection is the unmount, not news.
		loop().catch(() => undefined);
		return () => stop.abort();
	}, [active, probe, watch, intervalMs]);
	return state;
}
