/** Where a line came from: the command's output streams, or the step's own words (`ctx.emit`). */
export type LineStream = 'stdout' | 'stderr' | 'step';

/** How one host's part of a step ended. */
export type HostOutcome =
	| {readonly status: 'done'}
	| {readonly status: 'skipped'; readonly reason: string}
	| {
			readonly status: 'failed';
			readonly error: string;
			/** The failed command's exit code, when a command failed (rather than the step's own code). */
			readonly exitCode?: number;
			/** The host's last lines of output in this step, newest last. */
			readonly lastLines: readonly string[];
	  }
	| {readonly status: 'aborted'};

/** One host that did not finish a step. */
export type HostFailure = Extract<HostOutcome, {status: 'failed'}> & {readonly host: string; readonly stepId: string};

export type RunStatus = 'done' | 'failed' | 'aborted';

/** What the step list planned for one step: its hosts in order. */
export type PlannedStep = {readonly stepId: string; readonly title: string; readonly hosts: readonly string[]};

/**
What the runner reports, in this order: run-start; per step, step-start, then per host host-start, line/dry
events, host-end; step-end; finally run-end. Hosts of a parallel step interleave. `at` is milliseconds since
the epoch; every text is redacted before it is emitted.
*/
export type RunEvent =
	| {readonly kind: 'run-start'; readonly at: number; readonly dryRun: boolean; readonly steps: readonly PlannedStep[]}
	| ({readonly kind: 'step-start'; readonly at: number} & PlannedStep)
	| {readonly kind: 'host-start'; readonly at: number; readonly stepId: string; readonly host: string}
	| {
			readonly kind: 'line';
			readonly at: number;
			readonly stepId: string;
			readonly host: string;
			readonly stream: LineStream;
			readonly text: string;
	  }
	| {
			/** One line of what the step would do on the host (dry run). */
			readonly kind: 'dry';
			readonly at: number;
			readonly stepId: string;
			readonly host: string;
			readonly text: string;
	  }
	| {
			readonly kind: 'host-end';
			readonly at: number;
			readonly stepId: string;
			readonly host: string;
			readonly durationMs: number;
			/** In a dry run, `done` means "described". */
			readonly outcome: HostOutcome;
	  }
	| {
			readonly kind: 'step-end';
			readonly at: number;
			readonly stepId: string;
			readonly durationMs: number;
			readonly status: RunStatus;
	  }
	| {
			readonly kind: 'run-end';
			readonly at: number;
			readonly durationMs: number;
			readonly status: RunStatus;
			readonly failures: readonly HostFailure[];
	  };

export type RunEventListener = (event: RunEvent) => void;
