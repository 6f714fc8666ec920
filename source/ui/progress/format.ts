/** A duration the way the view and the log file show it: "12.3 s". */
export const seconds = (ms: number): string => `${(Math.max(0, ms) / 1000).toFixed(1)} s`;

/** Spinner frames, one per tick of the view's clock. */
const spinnerFrames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** How often the view redraws the spinner and the elapsed times. */
export const tickMs = 100;

/** The spinner frame for a moment: derived from the clock, so a fixed clock draws a fixed frame. */
export const spinnerAt = (time: number): string =>
	spinnerFrames[Math.floor(time / tickMs) % spinnerFrames.length] as string;
