// Test fixture for the lab's kubeadm and kubectl stand-ins: command lines as cobra parses them (--name=value,
// --name value, boolean flags, a few short forms). Any flag a command does not declare is refused as not modelled.
import {NotModelled} from './not-modelled.ts';

export type FlagSpec = {
	booleans?: readonly string[];
	values?: readonly string[];
	/** Short forms, e.g. {f: 'force', o: 'output'}. */
	short?: Readonly<Record<string, string>>;
};

export type CommandLine = {
	positional: string[];
	/** Every value of each value flag, in order (a flag may repeat). */
	values: Map<string, string[]>;
	booleans: Set<string>;
	/** The names of the flags given, for kubeadm's "can not mix --config" rule. */
	given: Set<string>;
};

export function parseCommandLine(argv: readonly string[], spec: FlagSpec): CommandLine {
	const line: CommandLine = {positional: [], values: new Map(), booleans: new Set(), given: new Set()};
	const booleans = new Set(spec.booleans ?? []);
	const values = new Set(spec.values ?? []);
	for (let index = 0; index < argv.length; index++) {
		const argument = argv[index] ?? '';
		if (argument === '--') {
			line.positional.push(...argv.slice(index + 1));
			break;
		}
		const long = /^--([^=]+)(?:=(.*))?$/.exec(argument);
		const short = /^-([a-zA-Z])(.*)$/.exec(argument);
		if (long === null && short === null) {
			line.positional.push(argument);
			continue;
		}
		const name = long?.[1] ?? spec.short?.[short?.[1] ?? ''];
		let value = long === null ? short?.[2] || undefined : long[2];
		if (name === undefined) throw new NotModelled(`flag ${argument}`);
		if (booleans.has(name)) {
			if (value !== undefined && value !== 'true' && value !== 'false') throw new NotModelled(`--${name}=${value}`);
			if (value !== 'false') line.booleans.add(name);
		} else if (values.has(name)) {
			if (value === undefined) {
				value = argv[++index];
				if (value === undefined) throw new Error(`flag needs an argument: --${name}`);
			}
			line.values.set(name, [...(line.values.get(name) ?? []), value]);
		} else {
			throw new NotModelled(`flag --${name}`);
		}
		line.given.add(name);
	}
	return line;
}

/** The last value of a flag (cobra keeps the last), or undefined. */
export const lastValue = (line: CommandLine, name: string): string | undefined => line.values.get(name)?.at(-1);

/** Every value of a list flag, comma-separated values split. */
export const listValue = (line: CommandLine, name: string): string[] =>
	(line.values.get(name) ?? []).flatMap((value) => value.split(',')).filter(Boolean);
