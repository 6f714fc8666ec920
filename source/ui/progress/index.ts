export {ApplyProgress, type ApplyProgressProps, type ProgressEnd} from './apply-progress.tsx';
export {type EventQueue, eventQueue} from './event-queue.ts';
export {initialProgressState, type ProgressState, progressReducer, reduceEvents} from './progress-state.ts';
export {type RenderApplyProgressOptions, renderApplyProgress} from './render-apply-progress.tsx';
