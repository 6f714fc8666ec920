import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {figuresOf, type HolderChange, type ProbeResult, steadySince, vipMove} from '../../source/drill/timeline.ts';

/** A probe sent at `startedAt` that took `tookMs`; failed when `error` is given. */
const probe = (startedAt: number, tookMs: number, error?: string): ProbeResult => ({
	startedAt,
	endedAt: startedAt + tookMs,
	ok: error === undefined,
	...(error === undefined ? {} : {error}),
});

/** Probes every 100 ms from `from` to before `to`, each 10 ms long, failing with `error` when given. */
const every100 = (from: number, to: number, error?: string): ProbeResult[] =>
	Array.from({length: Math.ceil((to - from) / 100)}, (_, index) => probe(from + index * 100, 10, error));

const held = (at: number, node: string, holds = true): HolderChange => ({at, node, holds});

describe('vipMove', () => {
	const changes = [held(0, 'cp1'), held(0, 'cp2', false), held(1500, 'cp1', false), held(1700, 'cp2')];

	it('is the first time after the moment that another node took the VIP', () => {
		assert.deepEqual(vipMove(changes, 1000, 'cp1'), {at: 1700, node: 'cp2'});
	});

	it('ignores the holder itself and what happened before the moment', () => {
		assert.equal(vipMove(changes, 1800, 'cp1'), undefined);
		assert.equal(vipMove([held(500, 'cp2'), held(600, 'cp1')], 1000, 'cp1'), undefined);
	});

	it('does not depend on the order the changes arrived in', () => {
		assert.deepEqual(vipMove([held(2000, 'cp3'), held(1700, 'cp2')], 1000, 'cp1'), {at: 1700, node: 'cp2'});
	});
});

describe('figuresOf', () => {
	it('measures a failover: the VIP moved, some requests failed, the API came back', () => {
		const probes = [...every100(0, 1000), ...every100(1000, 1900, 'ECONNREFUSED'), ...every100(1900, 4000)];
		const figures = figuresOf({
			since: 1000,
			until: 4000,
			holder: 'cp1',
			probes,
			changes: [held(0, 'cp1'), held(1850, 'cp2')],
		});
		assert.deepEqual(figures, {
			vipMovedAfterMs: 850,
			newHolder: 'cp2',
			apiBackAfterMs: 910,
			lastFailureAfterMs: 800,
			requests: 30,
			failedRequests: 9,
			errors: {ECONNREFUSED: 9},
		});
	});

	it('counts a request in flight at the fault, not those that ended before it', () => {
		const probes = [probe(800, 150), probe(900, 300, 'ECONNRESET'), probe(1100, 10)];
		const figures = figuresOf({since: 1000, until: 2000, holder: 'cp1', probes, changes: []});
		assert.equal(figures.requests, 2);
		assert.equal(figures.failedRequests, 1);
		assert.equal(figures.lastFailureAfterMs, 0, 'sent before the fault: 0, not negative');
	});

	it('says 0 when no request failed, and leaves out the VIP when it stayed', () => {
		const figures = figuresOf({
			since: 1000,
			until: 3000,
			holder: 'cp1',
			probes: every100(500, 3000),
			changes: [held(0, 'cp1')],
		});
		assert.deepEqual(figures, {apiBackAfterMs: 0, requests: 20, failedRequests: 0, errors: {}});
	});

	it('has no API figure when nothing succeeded after the first failure', () => {
		const figures = figuresOf({
			since: 0,
			until: 2000,
			holder: 'cp1',
			probes: [...every100(0, 1000), ...every100(1000, 2000, 'timeout')],
			changes: [],
		});
		assert.equal(figures.apiBackAfterMs, undefined);
		assert.deepEqual(figures.errors, {timeout: 10});
	});

	it('takes the end of the first success sent after the first failure, not one that was merely faster', () => {
		// A slow failure (a time-out) and a quick success sent just after it started: the API was back for the latter.
		const probes = [probe(1000, 1000, 'timeout'), probe(1100, 20), probe(1200, 1000, 'timeout'), probe(1300, 20)];
		const figures = figuresOf({since: 1000, until: 3000, holder: 'cp1', probes, changes: []});
		assert.equal(figures.apiBackAfterMs, 120);
		assert.equal(figures.lastFailureAfterMs, 200);
		assert.equal(figures.failedRequests, 2);
	});

	it('stops at `until`: requests sent after it belong to the next phase', () => {
		const figures = figuresOf({since: 0, until: 1000, holder: 'cp1', probes: every100(0, 2000), changes: []});
		assert.equal(figures.requests, 10);
	});
});

describe('steadySince', () => {
	it('needs enough answered requests since the moment, all of them successful', () => {
		const probes = [...every100(0, 1000, 'timeout'), ...every100(1000, 2000)];
		assert.equal(steadySince(probes, 1000, 10), true);
		assert.equal(steadySince(probes, 1000, 11), false, 'too few');
		assert.equal(steadySince(probes, 900, 10), false, 'one failed');
	});
});

describe('figuresOf with the command sent before the fault took effect', () => {
	it('counts requests from the sending, figures from the fault, and never below 0', () => {
		// The stop command was sent at 1000 and took effect at 1500; a request failed at 1200 already.
		const probes = [probe(900, 10), probe(1200, 10, 'ECONNRESET'), probe(1300, 10), probe(1600, 10)];
		const changes = [held(1400, 'cp2')];
		const figures = figuresOf({since: 1500, requestsFrom: 1000, until: 2000, holder: 'cp1', probes, changes});
		assert.deepEqual(figures, {
			vipMovedAfterMs: 0,
			newHolder: 'cp2',
			apiBackAfterMs: 0,
			lastFailureAfterMs: 0,
			requests: 3,
			failedRequests: 1,
			errors: {ECONNRESET: 1},
		});
	});
});
