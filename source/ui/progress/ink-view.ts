import type {ProgressView, ProgressViewOptions} from '../../session/dependencies.ts';
import {eventQueue} from './event-queue.ts';
import {renderApplyProgress} from './render-apply-progress.tsx';

/** The ink view of a run, as the program's edge gives it to the session: it owns stdin, and asks itself on Ctrl-C. */
export function inkProgressView(options: ProgressViewOptions): ProgressView {
	const queue = eventQueue();
	const shown = renderApplyProgress({events: queue, ...options});
	return {
		push: queue.push,
		async close() {
			queue.end();
			await shown;
		},
	};
}
