// TEST FIXTURE, never shipped: the lab's stand-in for apt-mark inside a lab host. Holds are kept in the host's own
// /var/lib/lab-apt/holds (the real dpkg database is the build machine's). Anything else fails loudly with exit status 1.
import {appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {NotModelled, runStandIn} from './lib/not-modelled.ts';
import {reportMissing} from './lib/packages.ts';

const holdsFile = '/var/lib/lab-apt/holds';

function readHolds(): string[] {
	return existsSync(holdsFile) ? readFileSync(holdsFile, 'utf8').split('\n').filter(Boolean) : [];
}

function writeHolds(holds: readonly string[]): void {
	mkdirSync('/var/lib/lab-apt', {recursive: true});
	writeFileSync(holdsFile, holds.map((name) => `${name}\n`).join(''));
}

runStandIn('apt-mark', () => {
	const argv = process.argv.slice(2);
	mkdirSync('/run/lab-apt', {recursive: true});
	appendFileSync('/run/lab-apt/calls.log', `apt-mark ${argv.join(' ')}\n`);
	const [verb, ...packages] = argv;
	const option = packages.find((argument) => argument.startsWith('-'));
	if (option !== undefined || verb?.startsWith('-')) throw new NotModelled(`option ${option ?? verb}`);
	const holds = readHolds();
	if (verb === 'showhold') {
		process.stdout.write(holds.map((name) => `${name}\n`).join(''));
		return 0;
	}
	if (verb === 'hold') {
		if (!reportMissing('apt-mark hold', packages)) return 100;
		writeHolds([...new Set([...holds, ...packages])]);
		for (const name of packages) process.stdout.write(`${name} set on hold.\n`);
		return 0;
	}
	if (verb === 'unhold') {
		writeHolds(holds.filter((name) => !packages.includes(name)));
		for (const name of packages) process.stdout.write(`Canceled hold on ${name}.\n`);
		return 0;
	}
	throw new NotModelled(`verb "${verb ?? ''}" (modelled: hold, unhold, showhold)`);
});
