// TEST FIXTURE, never shipped: the lab's stand-in for systemctl inside a lab host, where systemd is not PID 1.
// It runs real services (keepalived, haproxy, etcd) from their real unit files; see test/lab/README.md for what it
// models. Anything else (an unknown verb, option, unit type or unit setting) fails loudly with exit status 1.
import {appendFileSync, existsSync, mkdirSync, readFileSync} from 'node:fs';
import {disable, enable, unitFileState} from './lib/install.ts';
import {NotModelled, runStandIn} from './lib/not-modelled.ts';
import {outputFile, reload, resetFailed, type Status, start, status, stop} from './lib/service.ts';
import {
	checkLoadedDefinition,
	type LoadedUnit,
	lookupUnit,
	reloadLoadedDefinitions,
	serviceName,
	stateRoot,
	type UnitLookup,
} from './lib/units.ts';

type Options = {now: boolean; quiet: boolean; value: boolean; properties: string[]};
type Verb = (names: string[], options: Options) => number;

function parseArguments(argv: string[]): {verb: string; names: string[]; options: Options} {
	const options: Options = {now: false, quiet: false, value: false, properties: []};
	const positional: string[] = [];
	for (let index = 0; index < argv.length; index++) {
		const argument = argv[index] ?? '';
		if (argument === '--now') options.now = true;
		else if (argument === '-q' || argument === '--quiet') options.quiet = true;
		else if (argument === '--value') options.value = true;
		// Without a pager or a blocking job queue these two change nothing.
		else if (argument === '--no-pager' || argument === '--no-block') continue;
		else if (argument === '-p' || argument === '--property')
			options.properties.push(...(argv[++index] ?? '').split(','));
		else if (argument.startsWith('--property=')) options.properties.push(...argument.slice(11).split(','));
		else if (argument.startsWith('-p') && argument.length > 2) options.properties.push(...argument.slice(2).split(','));
		else if (argument.startsWith('-')) throw new NotModelled(`option ${argument}`);
		else positional.push(argument);
	}
	const [verb, ...names] = positional;
	if (verb === undefined) throw new NotModelled('systemctl without a verb (list-units)');
	if (options.now && verb !== 'enable' && verb !== 'disable') throw new NotModelled(`--now with ${verb}`);
	if (options.properties.length > 0 && verb !== 'show') throw new NotModelled(`--property with ${verb}`);
	return {verb, names: names.map(serviceName), options};
}

function lookupAll(names: string[], verb: string): UnitLookup[] {
	if (names.length === 0) throw new NotModelled(`${verb} without a unit name`);
	return names.map(lookupUnit);
}

/** start/stop/restart/reload: each unit in turn; a missing or masked unit fails like systemctl does. */
function jobVerb(verb: string, action: (unit: LoadedUnit) => void): Verb {
	return (names) => {
		for (const lookup of lookupAll(names, verb)) {
			if (lookup.kind !== 'found') {
				const reason = lookup.kind === 'masked' ? 'is masked' : 'not found';
				process.stderr.write(`Failed to ${verb} ${lookup.name}: Unit ${lookup.name} ${reason}.\n`);
				return lookup.kind === 'masked' ? 1 : 5;
			}
			action(lookup.unit);
		}
		return 0;
	};
}

function statusOf(lookup: UnitLookup): Status {
	return lookup.kind === 'found' ? status(lookup.unit.service) : {state: 'inactive', mainPid: 0};
}

function subState({state, mainPid, note}: Status): string {
	if (state === 'failed') return 'failed';
	if (state === 'activating') return note ?? 'start';
	if (state === 'inactive') return 'dead';
	return mainPid === 0 && note === 'exited' ? 'exited' : 'running';
}

const properties: Record<string, (lookup: UnitLookup) => string> = {
	Id: (lookup) => (lookup.kind === 'found' ? lookup.unit.service.name : lookup.name),
	Description: (lookup) => (lookup.kind === 'found' ? lookup.unit.service.description : ''),
	LoadState: (lookup) => (lookup.kind === 'found' ? 'loaded' : lookup.kind),
	ActiveState: (lookup) => statusOf(lookup).state,
	SubState: (lookup) => subState(statusOf(lookup)),
	MainPID: (lookup) => String(statusOf(lookup).mainPid),
	UnitFileState: (lookup) => (lookup.kind === 'found' ? unitFileState(lookup.unit) : ''),
	FragmentPath: (lookup) => (lookup.kind === 'found' ? lookup.unit.path : ''),
};

function printStatus(lookup: UnitLookup): number {
	if (lookup.kind !== 'found') {
		process.stderr.write(`Unit ${lookup.name} could not be found.\n`);
		return 4;
	}
	const {service, path} = lookup.unit;
	const current = status(service);
	const detail = current.note ? `; ${current.note}` : '';
	const output = outputFile(service.name);
	const lastLines = existsSync(output) ? readFileSync(output, 'utf8').trimEnd().split('\n').slice(-10) : [];
	const lines = [
		`${current.state === 'active' ? '●' : '○'} ${service.name} - ${service.description}`,
		`     Loaded: loaded (${path}; ${unitFileState(lookup.unit)})`,
		`     Active: ${current.state} (${subState(current)}${detail})`,
		...(current.mainPid === 0 ? [] : [`   Main PID: ${current.mainPid}`]),
		`       Note: kubeha lab stand-in for systemctl; the service's output is in ${output}`,
		'',
		...lastLines,
	];
	process.stdout.write(`${lines.join('\n')}\n`);
	return current.state === 'active' ? 0 : 3;
}

const verbs: Record<string, Verb> = {
	start: jobVerb('start', start),
	stop: jobVerb('stop', stop),
	restart: jobVerb('restart', (unit) => {
		// Unlike a plain stop, a restart must not forget an outdated definition before start() checks it.
		checkLoadedDefinition(unit, true);
		stop(unit);
		start(unit);
	}),
	reload: jobVerb('reload', reload),
	'is-active': (names, {quiet}) => {
		const states = lookupAll(names, 'is-active').map((lookup) => statusOf(lookup).state);
		if (!quiet) process.stdout.write(states.map((state) => `${state}\n`).join(''));
		return states.every((state) => state === 'active') ? 0 : 3;
	},
	'is-enabled': (names, {quiet}) => {
		let code = 0;
		for (const lookup of lookupAll(names, 'is-enabled')) {
			if (lookup.kind !== 'found') {
				process.stderr.write(`Failed to get unit file state for ${lookup.name}: No such file or directory\n`);
				return 1;
			}
			const state = unitFileState(lookup.unit);
			if (!quiet) process.stdout.write(`${state}\n`);
			if (state === 'disabled') code = 1;
		}
		return code;
	},
	enable: (names, {now}) => installVerb('enable', names, now),
	disable: (names, {now}) => installVerb('disable', names, now),
	'reset-failed': jobVerb('reset-failed', (unit) => resetFailed(unit.service)),
	'daemon-reload': (names) => {
		if (names.length > 0) throw new NotModelled('daemon-reload with unit names');
		reloadLoadedDefinitions();
		return 0;
	},
	status: (names) => Math.max(...lookupAll(names, 'status').map(printStatus)),
	show: (names, {properties: wanted, value}) => {
		if (wanted.length === 0) wanted.push(...Object.keys(properties));
		for (const lookup of lookupAll(names, 'show')) {
			for (const property of wanted) {
				const read = properties[property];
				if (read === undefined) {
					throw new NotModelled(`property ${property} (modelled: ${Object.keys(properties).join(', ')})`);
				}
				process.stdout.write(value ? `${read(lookup)}\n` : `${property}=${read(lookup)}\n`);
			}
		}
		return 0;
	},
};

function installVerb(verb: 'enable' | 'disable', names: string[], now: boolean): number {
	for (const lookup of lookupAll(names, verb)) {
		if (lookup.kind !== 'found') {
			process.stderr.write(`Failed to ${verb} unit: Unit file ${lookup.name} does not exist.\n`);
			return 1;
		}
		if (verb === 'enable') enable(lookup.unit);
		else disable(lookup.unit);
		if (now) (verb === 'enable' ? start : stop)(lookup.unit);
	}
	return 0;
}

runStandIn('systemctl', () => {
	const argv = process.argv.slice(2);
	// Every call is kept, so that a scenario can assert what the product asked for and in which order.
	mkdirSync(stateRoot, {recursive: true});
	appendFileSync(`${stateRoot}/calls.log`, `systemctl ${argv.join(' ')}\n`);
	const {verb, names, options} = parseArguments(argv);
	const run = verbs[verb];
	if (run === undefined) throw new NotModelled(`verb "${verb}" (modelled: ${Object.keys(verbs).join(', ')})`);
	return run(names, options);
});
