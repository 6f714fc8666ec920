import assert from 'node:assert/strict';
import {PassThrough} from 'node:stream';
import {describe, test} from 'node:test';
import {stripVTControlCharacters} from 'node:util';
import type {RunEvent} from '../../source/runner/events.ts';
import {eventQueue, renderApplyProgress} from '../../source/ui/progress/index.ts';
import {recorded} from '../fixtures/events/replay.ts';

/** A terminal that is not one (piped): ink draws only the last frame, which is what the caller leaves on screen. */
function pipedTerminal() {
	const stdout = Object.assign(new PassThrough(), {columns: 100, rows: 40});
	let output = '';
	stdout.on('data', (chunk: Buffer) => {
		output += chunk.toString();
	});
	return {
		stdin: new PassThrough() as unknown as NodeJS.ReadStream,
		stdout: stdout as unknown as NodeJS.WriteStream,
		output: () => stripVTControlCharacters(output),
	};
}

const props = {onAbortRequest: () => undefined, logPath: '/tmp/run.log', now: () => 0};

describe('renderApplyProgress', () => {
	test('resolves with the run’s end once the summary is drawn', async () => {
		const terminal = pipedTerminal();
		const queue = eventQueue();
		const shown = renderApplyProgress({...props, events: queue, stdin: terminal.stdin, stdout: terminal.stdout});
		for (const event of recorded('failed')) {
			queue.push(event);
		}

		const end = await shown;
		assert.equal(end?.status, 'failed');
		assert.deepEqual(
			end?.failures.map((failure) => [failure.host, failure.stepId, failure.exitCode]),
			[['cp2', 'join-control-planes', 1]],
		);
		assert.match(terminal.output(), /✖ Install failed after 24\.4 s[\s\S]*Full log: \/tmp\/run\.log/);
		assert.equal(terminal.output().split('✖ Join the other control planes').length, 2, 'the last step is shown once');
	});

	test('resolves with no end when the events stop before the run ended (the runner threw)', async () => {
		const terminal = pipedTerminal();
		const queue = eventQueue();
		const shown = renderApplyProgress({...props, events: queue, stdin: terminal.stdin, stdout: terminal.stdout});
		for (const event of recorded('done').slice(0, 10)) {
			queue.push(event);
		}

		queue.end();
		assert.equal(await shown, undefined);
	});

	test('rejects with the error the events failed with', async () => {
		const terminal = pipedTerminal();
		async function* failing(): AsyncIterable<RunEvent> {
			yield* recorded('done').slice(0, 3);
			throw new Error('the event stream broke');
		}

		await assert.rejects(
			renderApplyProgress({...props, events: failing(), stdin: terminal.stdin, stdout: terminal.stdout}),
			/the event stream broke/,
		);
	});
});

describe('eventQueue', () => {
	test('keeps what was pushed before anyone reads, hands on what comes later, and stops at end()', async () => {
		const queue = eventQueue();
		const [first, second, third] = recorded('done');
		assert.ok(first && second && third);
		queue.push(first);
		const read: RunEvent[] = [];
		const reading = (async () => {
			for await (const event of queue) {
				read.push(event);
			}
		})();
		queue.push(second);
		await new Promise((resolve) => setTimeout(resolve, 5));
		queue.push(third);
		queue.end();
		queue.push(first);
		await reading;
		assert.deepEqual(read, [first, second, third]);
	});
});
