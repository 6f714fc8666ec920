import type {RunEvent, RunEventListener} from '../../runner/events.ts';

/** The runner's events as the progress view reads them. */
export type EventQueue = AsyncIterable<RunEvent> & {
	/** Pass this as (or call it from) the runner's onEvent. */
	readonly push: RunEventListener;
	/** No more events: call it when runSteps settles, also when it throws, so the view closes. */
	readonly end: () => void;
};

/**
Bridges the runner's callback to the view's async iteration. Events pushed before the view starts reading are
kept, so the view may mount after the run started. One reader.
*/
export function eventQueue(): EventQueue {
	const waiting: RunEvent[] = [];
	let ended = false;
	let wake: (() => void) | undefined;
	const notify = () => {
		wake?.();
		wake = undefined;
	};

	return {
		push(event) {
			if (!ended) {
				waiting.push(event);
				notify();
			}
		},
		end() {
			ended = true;
			notify();
		},
		async *[Symbol.asyncIterator]() {
			for (;;) {
				const event = waiting.shift();
				if (event) {
					yield event;
				} else if (ended) {
					return;
				} else {
					await new Promise<void>((resolve) => {
						wake = resolve;
					});
				}
			}
		},
	};
}
