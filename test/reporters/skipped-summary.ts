// A test reporter (`npm test` adds it after spec): what could not run on this machine, in one block at the end,
// one line per reason, each reason saying how to enable those tests. Spec already shows each skip where it happens;
// this block is what a newcomer reads after fifteen minutes of output.
import {relative} from 'node:path';
import type {TestEvent} from 'node:test/reporters';

type Skipped = {readonly reason: string; readonly file: string};

/** The summary block for these skipped tests, or '' when none was skipped. */
export function skippedBlock(skipped: readonly Skipped[], root = process.cwd()): string {
	if (skipped.length === 0) return '';
	const byReason = Map.groupBy(skipped, (test) => test.reason);
	const lines = [...byReason].map(([reason, tests]) => {
		const files = [...new Set(tests.map((test) => relative(root, test.file)))];
		return `  ${tests.length} skipped (${files.join(', ')}): ${reason}`;
	});
	return `\nskipped on this machine (tests and suites, ${skipped.length} in all); each line says how to run them (as root, .ci/run installs every package and runs npm test):\n${lines.join('\n')}\n`;
}

export default async function* skippedSummary(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
	const skipped: Skipped[] = [];
	for await (const event of source) {
		if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
		const {skip, file} = event.data;
		if (skip === undefined || skip === false) continue;
		skipped.push({reason: typeof skip === 'string' ? skip : 'skipped without a reason', file: file ?? '?'});
	}
	yield skippedBlock(skipped);
}
