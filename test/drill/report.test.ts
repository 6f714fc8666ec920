import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {type DrillReport, formatReport, median, medianFigures} from '../../source/drill/report.ts';
import type {RoundReport} from '../../source/drill/round.ts';

const round = (
	number: number,
	vipMovedAfterMs: number,
	failedRequests: number,
	problems: string[] = [],
): RoundReport => ({
	round: number,
	fault: 'haproxy',
	node: 'cp1',
	action: 'stop haproxy (systemctl stop haproxy)',
	failover: {
		vipMovedAfterMs,
		newHolder: 'cp2',
		apiBackAfterMs: vipMovedAfterMs + 100,
		lastFailureAfterMs: vipMovedAfterMs,
		requests: 40,
		failedRequests,
		errors: {ECONNREFUSED: failedRequests},
	},
	restore: {
		vipMovedAfterMs: 5000,
		newHolder: 'cp1',
		apiBackAfterMs: 0,
		requests: 60,
		failedRequests: 0,
		errors: {},
		wholeAfterMs: 6100,
	},
	problems,
	interrupted: false,
});

const report = (rounds: RoundReport[]): DrillReport => ({
	cluster: 'prod',
	vip: '192.168.1.94',
	probe: {url: 'https://192.168.1.94:8443/healthz', intervalMs: 100, timeoutMs: 1000},
	fault: 'haproxy',
	rounds,
	median: medianFigures(rounds),
});

describe('the drill report', () => {
	it('takes the upper middle as the median, and leaves out what no round has', () => {
		assert.equal(median([3, 1, 2]), 2);
		assert.equal(median([4, 1, 3, 2]), 3);
		assert.equal(median([]), undefined);
		assert.deepEqual(medianFigures([round(1, 900, 8), round(2, 1100, 12), round(3, 1000, 9)]), {
			vipMovedAfterMs: 1000,
			apiBackAfterMs: 1100,
			lastFailureAfterMs: 1000,
			failedRequests: 9,
			restoreFailedRequests: 0,
		});
	});

	it('prints one row per round, the medians, the reasons and the problems', () => {
		const text = formatReport(report([round(1, 900, 8), round(2, 1100, 12, ['the cluster was not whole again'])]));
		assert.equal(
			text,
			[
				'kubeha drill on prod: stop haproxy (systemctl stop haproxy) on the VIP holder; GET https://192.168.1.94:8443/healthz every 100 ms (failed: no 200 within 1000 ms).',
				'',
				'round   holder  VIP moved to  after  API back after  last failure at  failed requests  while restoring  whole again after',
				'1       cp1     cp2           0.9 s  1.0 s           0.9 s            8 of 40          0 of 60          6.1 s',
				'2       cp1     cp2           1.1 s  1.2 s           1.1 s            12 of 40         0 of 60          6.1 s',
				'median                        1.1 s  1.2 s           1.1 s            12               0',
				'',
				'Failed requests by reason: ECONNREFUSED 20.',
				'',
				'Problems:',
				'  - round 2: the cluster was not whole again',
			].join('\n'),
		);
	});

	it('says "no failure" when no request failed, and adds no median row for one round', () => {
		const quiet = round(1, 0, 0);
		const text = formatReport(report([{...quiet, failover: {requests: 90, failedRequests: 0, errors: {}}}]));
		assert.match(text, /\n1 +cp1 +stayed +- +no failure +- +0 of 90 /);
		assert.doesNotMatch(text, /median|reason/);
	});
});
