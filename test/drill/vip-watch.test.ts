import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {watchVip} from '../../source/drill/vip-watch.ts';
import type {CommandOptions, CommandResult, Shell, ShellHost} from '../../source/runner/shell.ts';
import {nodeNamed, specOf} from '../helpers/spec.ts';

const spec = specOf();

/** Lines a node "prints", each with the drill's clock at its arrival: [arrival ms, line]. */
type Script = Record<string, readonly (readonly [number, string])[]>;

/** Replays each node's lines with the clock set to their arrival, then runs until the watch stops. */
function replay(script: Script, clock: {now: number}): Shell {
	return {
		async run(host: ShellHost, _script: string, {onLine, signal}: CommandOptions = {}): Promise<CommandResult> {
			for (const [arrival, line] of script[host.name] ?? []) {
				clock.now = arrival;
				onLine?.(line, 'stdout');
			}

			await new Promise((resolve) => signal?.addEventListener('abort', resolve, {once: true}));
			throw signal?.reason;
		},
		close: async () => undefined,
	};
}

describe('watchVip', () => {
	it('places each change at the node clock plus the least delay seen, not at a late arrival', async () => {
		const clock = {now: 0};
		// cp1's clock is 50 s behind the drill's; its lines take 10 ms, except one that waited 900 ms in a queue.
		const shell = replay(
			{
				cp1: [
					[10, '50.000 held up'],
					[110, '50.100 held up'],
					[1100, '50.200 held down'],
					[1110, '51.100 free down'],
				],
				cp2: [
					[5, '1000.000 free'],
					[1300, '1001.290 held'],
				],
			},
			clock,
		);
		const watch = watchVip({
			shell,
			nodes: [nodeNamed(spec, 'cp1'), nodeNamed(spec, 'cp2')],
			vip: '192.168.1.94',
			now: () => clock.now,
			piece: {node: 'cp1', check: 'true'},
		});
		await new Promise((resolve) => setImmediate(resolve));
		await watch.stop();
		assert.deepEqual(watch.changes, [
			{at: 10, node: 'cp1', holds: true},
			{at: 1110, node: 'cp1', holds: false},
			{at: 5, node: 'cp2', holds: false},
			{at: 1295, node: 'cp2', holds: true},
		]);
		assert.deepEqual(watch.pieceChanges, [
			{at: 10, up: true},
			{at: 210, up: false},
		]);
	});
});
