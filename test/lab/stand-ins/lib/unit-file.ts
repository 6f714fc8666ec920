// Test fixture for the lab's systemctl stand-in: reads systemd unit files into the few settings the stand-in models.
// Pure: no file system, no process. See systemd.unit(5), systemd.service(5), systemd.exec(5).
import {NotModelled} from './not-modelled.ts';

/** One `Key=value` line of a unit file or drop-in, after line continuations were joined. */
export type Assignment = {section: string; key: string; value: string; where: string};

/** A command line of ExecStart= and friends, split into words but with `$VARIABLES` not yet expanded. */
export type Command = {words: readonly string[]; ignoreFailure: boolean; text: string};

export type ServiceType = 'simple' | 'exec' | 'notify' | 'forking' | 'oneshot';
export type KillMode = 'control-group' | 'mixed' | 'process';
export type Condition = {key: 'ConditionPathExists' | 'ConditionFileNotEmpty'; path: string; negate: boolean};
/** systemd.service(5) "Restart=": which ends of the main process bring it back. */
export const restartPolicies = [
	'no',
	'always',
	'on-success',
	'on-failure',
	'on-abnormal',
	'on-abort',
	'on-watchdog',
] as const;
export type RestartPolicy = (typeof restartPolicies)[number];

/** The settings of a .service unit that the stand-in acts on; everything else was either ignored on purpose or refused. */
export type Service = {
	name: string;
	description: string;
	type: ServiceType;
	execStartPre: Command[];
	execStart: Command[];
	execStartPost: Command[];
	execReload: Command[];
	execStop: Command[];
	/** `Environment=` assignments in order; `EnvironmentFile=` values override them (systemd.exec(5)). */
	environment: Array<[string, string]>;
	environmentFiles: Array<{path: string; optional: boolean}>;
	user?: string;
	group?: string;
	workingDirectory?: string;
	pidFile?: string;
	remainAfterExit: boolean;
	permissionsStartOnly: boolean;
	killMode: KillMode;
	successExitStatus: number[];
	conditions: Condition[];
	restart: RestartPolicy;
	/** RestartSec=, in milliseconds (systemd's default: 100 ms). */
	restartMs: number;
	/** StartLimitIntervalSec= (0: no limit) and StartLimitBurst=, systemd's defaults 10 s and 5 (systemd.unit(5)). */
	startLimit: {intervalMs: number; burst: number};
	/** All empty: systemctl calls the unit "static". */
	wantedBy: string[];
	requiredBy: string[];
	alias: string[];
};

/** What `%` specifiers expand to (systemd.unit(5) "Specifiers"). */
export type SpecifierContext = {unitName: string; hostname: string};

/**
The keys the stand-in reads, per section: `single` keys keep their last value, `list` keys accumulate (an empty
`Key=` empties them), `ignored` keys are on real units but change nothing the lab can observe. Anything else is refused.
*/
const sections: Record<string, {single: readonly string[]; list: readonly string[]; ignored: readonly string[]}> = {
	Unit: {
		single: ['Description', 'StartLimitIntervalSec', 'StartLimitBurst'],
		list: ['ConditionPathExists', 'ConditionFileNotEmpty'],
		// Ordering and dependencies: the stand-in starts exactly the unit it is asked to start.
		ignored: ['Documentation', 'After', 'Before', 'Wants'],
	},
	Service: {
		single: [
			'Type',
			'User',
			'Group',
			'WorkingDirectory',
			'PIDFile',
			'RemainAfterExit',
			'PermissionsStartOnly',
			'KillMode',
			'Restart',
			'RestartSec',
			// The [Service] spelling systemd still reads for StartLimitIntervalSec= in [Unit].
			'StartLimitInterval',
		],
		list: [
			'ExecStartPre',
			'ExecStart',
			'ExecStartPost',
			'ExecReload',
			'ExecStop',
			'Environment',
			'EnvironmentFile',
			'SuccessExitStatus',
		],
		// Time-outs, resource limits and sandboxing: the lab runs processes plainly.
		ignored: [
			'TimeoutSec',
			'TimeoutStartSec',
			'TimeoutStopSec',
			'LimitNOFILE',
			'LimitNPROC',
			'LimitCORE',
			'TasksMax',
			'OOMScoreAdjust',
			'Delegate',
			'BindReadOnlyPaths',
		],
	},
	Install: {single: [], list: ['WantedBy', 'RequiredBy', 'Alias'], ignored: []},
};

/** Splits a unit file into assignments; comments (`#`, `;`) and blank lines are skipped, `\` continues a line. */
export function parseUnitText(text: string, path: string): Assignment[] {
	const assignments: Assignment[] = [];
	let section = '';
	const lines = text.split('\n');
	for (let index = 0; index < lines.length; index++) {
		const lineNumber = index + 1;
		let line = (lines[index] ?? '').trim();
		while (line.endsWith('\\') && index + 1 < lines.length) {
			index++;
			line = `${line.slice(0, -1)} ${(lines[index] ?? '').trim()}`;
		}
		if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
		const header = /^\[(.+)\]$/.exec(line);
		if (header) {
			section = header[1] ?? '';
			continue;
		}
		const equals = line.indexOf('=');
		if (equals < 1 || section === '') {
			throw new NotModelled(`${path}:${lineNumber}: cannot read line "${line}" (expected [Section] or Key=value)`);
		}
		assignments.push({
			section,
			key: line.slice(0, equals).trim(),
			value: line.slice(equals + 1).trim(),
			where: `${path}:${lineNumber}`,
		});
	}
	return assignments;
}

/** Expands `%n %N %p %i %H %t %%`; any other specifier is refused rather than guessed. */
export function expandSpecifiers(value: string, context: SpecifierContext): string {
	const base = context.unitName.replace(/\.[^.]+$/, '');
	const [prefix = base, instance = ''] = base.split('@');
	const values: Record<string, string> = {
		n: context.unitName,
		N: base,
		p: prefix,
		i: instance,
		H: context.hostname,
		t: '/run',
		'%': '%',
	};
	return value.replaceAll(/%(.)/g, (_match, letter: string) => {
		const expansion = values[letter];
		if (expansion === undefined) throw new NotModelled(`specifier %${letter} in "${value}"`);
		return expansion;
	});
}

/** Splits a command line or an Environment= value into words, honouring "double" and 'single' quotes and `\`. */
export function splitWords(text: string): string[] {
	const words: string[] = [];
	let word: string | undefined;
	let quote: string | undefined;
	for (let index = 0; index < text.length; index++) {
		const character = text[index] ?? '';
		if (character === '\\' && quote !== "'") {
			const next = text[++index];
			if (next === undefined) throw new NotModelled(`trailing backslash in "${text}"`);
			word = (word ?? '') + ({n: '\n', t: '\t'}[next] ?? next);
		} else if (quote) {
			if (character === quote) quote = undefined;
			else word = (word ?? '') + character;
		} else if (character === '"' || character === "'") {
			quote = character;
			word ??= '';
		} else if (/\s/.test(character)) {
			if (word !== undefined) words.push(word);
			word = undefined;
		} else {
			word = (word ?? '') + character;
		}
	}
	if (quote) throw new NotModelled(`unterminated ${quote} in "${text}"`);
	if (word !== undefined) words.push(word);
	return words;
}

/**
Expands variables the way systemd does for Exec lines: a word that is exactly `$NAME` becomes the value split at
whitespace (zero or more words); `${NAME}` (or `$NAME`) inside a word is replaced as is; `$$` is a literal `$`.
*/
export function expandCommand(command: Command, environment: Readonly<Record<string, string>>): string[] {
	return command.words.flatMap((word) => {
		const whole = /^\$([A-Za-z_]\w*)$/.exec(word);
		if (whole) return splitWords(environment[whole[1] ?? ''] ?? '');
		return [
			word.replaceAll(/\$\$|\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)/g, (match, braced?: string, bare?: string) =>
				match === '$$' ? '$' : (environment[braced ?? bare ?? ''] ?? ''),
			),
		];
	});
}

/** Reads an EnvironmentFile: `KEY=value` lines, values optionally "double" or 'single' quoted. */
export function parseEnvironmentFile(text: string, path: string): Array<[string, string]> {
	const pairs: Array<[string, string]> = [];
	for (const [index, rawLine] of text.split('\n').entries()) {
		const line = rawLine.trim();
		if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
		const match = /^([A-Za-z_]\w*)\s*=\s*(.*)$/.exec(line);
		if (!match) throw new NotModelled(`${path}:${index + 1}: cannot read "${line}" as KEY=value`);
		const [, key = '', value = ''] = match;
		const quoted = /^"((?:[^"\\]|\\.)*)"$/.exec(value) ?? /^'([^']*)'$/.exec(value);
		pairs.push([key, quoted ? (quoted[1] ?? '').replaceAll(/\\(.)/g, '$1') : value]);
	}
	return pairs;
}

function parseCommand(value: string, where: string): Command {
	const prefix = /^[-@+!:]*/.exec(value)?.[0] ?? '';
	if (prefix !== '' && prefix !== '-') {
		throw new NotModelled(`${where}: command prefix "${prefix}" (only "-" is modelled)`);
	}
	const words = splitWords(value.slice(prefix.length));
	const executable = words[0] ?? '';
	if (!executable.startsWith('/')) {
		throw new NotModelled(`${where}: "${executable}" is not an absolute path (write the full path in the unit)`);
	}
	if (words.includes(';')) throw new NotModelled(`${where}: several commands separated by ";"`);
	return {words, ignoreFailure: prefix === '-', text: value};
}

const timeUnits: Record<string, number> = {
	us: 0.001,
	usec: 0.001,
	ms: 1,
	msec: 1,
	'': 1000,
	s: 1000,
	sec: 1000,
	second: 1000,
	seconds: 1000,
	m: 60_000,
	min: 60_000,
	minute: 60_000,
	minutes: 60_000,
	h: 3_600_000,
	hr: 3_600_000,
	hour: 3_600_000,
	hours: 3_600_000,
};

/** A systemd.time(5) time span ("100ms", "1min 30s", a bare number of seconds), in milliseconds; "infinity" is refused. */
export function parseTimeSpan({key, value, where}: Assignment): number {
	const parts = [...value.matchAll(/\s*(\d+(?:\.\d+)?)\s*([a-z]*)/g)];
	const joined = parts.map((part) => part[0]).join('');
	if (parts.length === 0 || joined.trim() !== value.trim()) {
		throw new NotModelled(`${where}: ${key}=${value} is not a time span the stand-in reads (e.g. 100ms, 5s, 1min 30s)`);
	}
	return parts.reduce((total, [, number = '0', unit = '']) => {
		const factor = timeUnits[unit];
		if (factor === undefined) throw new NotModelled(`${where}: ${key}=${value}: unit "${unit}"`);
		return total + Number(number) * factor;
	}, 0);
}

function parseBoolean(assignment: Assignment | undefined): boolean {
	if (assignment === undefined || /^(no|false|off|0)$/i.test(assignment.value)) return false;
	if (/^(yes|true|on|1)$/i.test(assignment.value)) return true;
	throw new NotModelled(`${assignment.where}: ${assignment.key}=${assignment.value} is not a boolean`);
}

function oneOf<T extends string>({key, value, where}: Assignment, allowed: readonly T[]): T {
	const found = allowed.find((item) => item === value);
	if (found === undefined) throw new NotModelled(`${where}: ${key}=${value} (modelled: ${allowed.join(', ')})`);
	return found;
}

/** Folds assignments (unit file first, then drop-ins in order) into the keys' final values. */
function collect(assignments: readonly Assignment[]): {
	singles: Map<string, Assignment>;
	lists: Map<string, Assignment[]>;
} {
	const singles = new Map<string, Assignment>();
	const lists = new Map<string, Assignment[]>();
	for (const assignment of assignments) {
		const {section, key, where} = assignment;
		const keys = sections[section];
		if (keys === undefined) throw new NotModelled(`${where}: section [${section}]`);
		if (keys.ignored.includes(key)) continue;
		if (keys.list.includes(key)) {
			lists.set(key, assignment.value === '' ? [] : [...(lists.get(key) ?? []), assignment]);
		} else if (keys.single.includes(key)) {
			singles.set(key, assignment);
		} else {
			throw new NotModelled(
				`${where}: ${key}= in [${section}] (add it to test/lab/stand-ins/lib/unit-file.ts if needed)`,
			);
		}
	}
	return {singles, lists};
}

/** Builds the service definition of `name` from its unit file and drop-ins, expanding `%` specifiers. */
export function buildService(assignments: readonly Assignment[], context: SpecifierContext): Service {
	const {singles, lists} = collect(assignments);
	const expand = (assignment: Assignment) => ({...assignment, value: expandSpecifiers(assignment.value, context)});
	const single = (key: string) => {
		const assignment = singles.get(key);
		return assignment ? expand(assignment) : undefined;
	};
	const list = (key: string) => (lists.get(key) ?? []).map(expand);
	const commands = (key: string) => list(key).map(({value, where}) => parseCommand(value, where));
	const words = (key: string) => list(key).flatMap(({value}) => splitWords(value));

	const typeSetting = single('Type');
	const type = typeSetting ? oneOf(typeSetting, ['simple', 'exec', 'notify', 'forking', 'oneshot'] as const) : 'simple';
	const killModeSetting = single('KillMode');
	const restartSetting = single('Restart');
	const restartSecSetting = single('RestartSec');
	const intervalSetting = single('StartLimitIntervalSec') ?? single('StartLimitInterval');
	const burstSetting = single('StartLimitBurst');
	if (burstSetting && !/^\d+$/.test(burstSetting.value)) {
		throw new NotModelled(`${burstSetting.where}: StartLimitBurst=${burstSetting.value} is not a number`);
	}
	const service: Service = {
		name: context.unitName,
		description: single('Description')?.value ?? context.unitName,
		type,
		execStartPre: commands('ExecStartPre'),
		execStart: commands('ExecStart'),
		execStartPost: commands('ExecStartPost'),
		execReload: commands('ExecReload'),
		execStop: commands('ExecStop'),
		environment: list('Environment').flatMap(({value, where}) =>
			splitWords(value).map((pair): [string, string] => {
				const equals = pair.indexOf('=');
				if (equals < 1) throw new NotModelled(`${where}: "${pair}" is not NAME=value`);
				return [pair.slice(0, equals), pair.slice(equals + 1)];
			}),
		),
		environmentFiles: list('EnvironmentFile').map(({value}) => ({
			path: value.replace(/^-/, ''),
			optional: value.startsWith('-'),
		})),
		user: single('User')?.value,
		group: single('Group')?.value,
		workingDirectory: single('WorkingDirectory')?.value,
		pidFile: single('PIDFile')?.value,
		remainAfterExit: parseBoolean(single('RemainAfterExit')),
		permissionsStartOnly: parseBoolean(single('PermissionsStartOnly')),
		killMode: killModeSetting
			? oneOf(killModeSetting, ['control-group', 'mixed', 'process'] as const)
			: 'control-group',
		successExitStatus: words('SuccessExitStatus').map((word) => {
			if (!/^\d+$/.test(word)) throw new NotModelled(`SuccessExitStatus=${word} (only numbers are modelled)`);
			return Number(word);
		}),
		conditions: (['ConditionPathExists', 'ConditionFileNotEmpty'] as const).flatMap((key) =>
			list(key).map(({value}) => ({key, path: value.replace(/^!/, ''), negate: value.startsWith('!')})),
		),
		restart: restartSetting ? oneOf(restartSetting, restartPolicies) : 'no',
		restartMs: restartSecSetting ? parseTimeSpan(restartSecSetting) : 100,
		startLimit: {
			intervalMs: intervalSetting ? parseTimeSpan(intervalSetting) : 10_000,
			burst: burstSetting ? Number(burstSetting.value) : 5,
		},
		wantedBy: words('WantedBy'),
		requiredBy: words('RequiredBy'),
		alias: words('Alias'),
	};
	checkCommands(service);
	return service;
}

/** The combinations systemd itself rejects or that the stand-in cannot run faithfully. */
function checkCommands(service: Service): void {
	const starts = service.execStart.length;
	if (service.type === 'oneshot' ? starts === 0 && !service.remainAfterExit : starts !== 1) {
		throw new NotModelled(
			`${service.name}: Type=${service.type} needs ${service.type === 'oneshot' ? 'ExecStart=' : 'exactly one ExecStart='}, found ${starts}`,
		);
	}
	if (service.type === 'oneshot' && (service.restart === 'always' || service.restart === 'on-success')) {
		// systemd's own refusal (systemd.service(5): "always and on-success are rejected for them").
		throw new Error(
			`${service.name}: Service has Restart= set to either always or on-success, which isn't allowed for Type=oneshot services. Refusing.`,
		);
	}
	if (service.type === 'forking' && service.pidFile === undefined) {
		throw new NotModelled(
			`${service.name}: Type=forking without PIDFile= (the stand-in cannot guess the main process)`,
		);
	}
}
