/** How a cell reads: fine, degraded, soon to be degraded, not known, or just information. */
export type Tone = 'ok' | 'bad' | 'warn' | 'unknown' | 'plain';

/** One value in the status table or the cluster-wide facts, with its tone. */
export type Cell = {readonly text: string; readonly tone: Tone};

export const cell = (text: string, tone: Tone = 'plain'): Cell => ({text, tone});
