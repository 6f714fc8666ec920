import {useEffect, useReducer, useState} from 'react';
import type {RunEvent} from '../../runner/events.ts';
import {initialProgressState, type ProgressState, reduceEvents} from './progress-state.ts';

/** How the event stream ended: normally, or by throwing. */
export type SourceEnd = {readonly error?: unknown};

/**
Reads the runner's events and folds them into the view state. Events arriving within `flushMs` of each other
are applied as one batch, so a chatty command re-renders the view a few times a second rather than once per
line; run-end and the end of the stream are applied at once.
*/
export function useRunEvents(
	source: AsyncIterable<RunEvent>,
	flushMs: number,
): {state: ProgressState; sourceEnd?: SourceEnd} {
	const [state, apply] = useReducer(reduceEvents, initialProgressState);
	const [sourceEnd, setSourceEnd] = useState<SourceEnd>();
	useEffect(() => {
		const iterator = source[Symbol.asyncIterator]();
		let pending: RunEvent[] = [];
		let timer: NodeJS.Timeout | undefined;
		let unmounted = false;
		const flush = () => {
			clearTimeout(timer);
			timer = undefined;
			if (pending.length > 0) {
				apply(pending);
				pending = [];
			}
		};

		const read = async () => {
			for (let next = await iterator.next(); !next.done && !unmounted; next = await iterator.next()) {
				pending.push(next.value);
				if (next.value.kind === 'run-end') {
					flush();
				} else {
					timer ??= setTimeout(flush, flushMs);
				}
			}
		};

		const finish = (end: SourceEnd) => {
			if (!unmounted) {
				flush();
				setSourceEnd(end);
			}
		};

		read().then(
			() => finish({}),
			(error: unknown) => finish({error}),
		);
		return () => {
			unmounted = true;
			clearTimeout(timer);
			void iterator.return?.();
		};
	}, [source, flushMs]);
	return {state, ...(sourceEnd ? {sourceEnd} : {})};
}
