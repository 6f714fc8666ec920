// TEST FIXTURE, never shipped: the lab's stand-in for apt-get inside a lab host. Lab hosts cannot download anything,
// so `install` succeeds only for packages that are already there (see lib/packages.ts) and `update` fetches nothing.
// Anything else fails loudly with exit status 1.
import {appendFileSync, mkdirSync} from 'node:fs';
import {NotModelled, runStandIn} from './lib/not-modelled.ts';
import {reportMissing} from './lib/packages.ts';

/** Options that change nothing when every package is already installed. */
const harmlessOptions = new Set([
	'-q',
	'-qq',
	'--quiet',
	'--no-install-recommends',
	'--allow-change-held-packages',
	'--allow-downgrades',
]);
const yesOptions = new Set(['-y', '--yes', '--assume-yes']);

runStandIn('apt-get', () => {
	const argv = process.argv.slice(2);
	// Every call is kept, so that a scenario can assert what the product asked for.
	mkdirSync('/run/lab-apt', {recursive: true});
	appendFileSync('/run/lab-apt/calls.log', `apt-get ${argv.join(' ')}\n`);
	const options = argv.filter((argument) => argument.startsWith('-'));
	const [verb, ...packages] = argv.filter((argument) => !argument.startsWith('-'));
	for (const option of options) {
		if (!harmlessOptions.has(option) && !yesOptions.has(option)) throw new NotModelled(`option ${option}`);
	}
	if (verb === 'update') {
		if (packages.length > 0) throw new NotModelled('update with arguments');
		process.stdout.write('Reading package lists... Done (kubeha lab stand-in: nothing was fetched)\n');
		return 0;
	}
	if (verb !== 'install') throw new NotModelled(`verb "${verb ?? ''}" (modelled: update, install -y)`);
	if (!options.some((option) => yesOptions.has(option))) {
		throw new NotModelled('install without -y: the real apt-get would stop and wait for an answer');
	}
	if (!reportMissing('apt-get install', packages)) return 100;
	process.stdout.write(`${packages.join(' ')}: already installed (kubeha lab stand-in)\n`);
	return 0;
});
