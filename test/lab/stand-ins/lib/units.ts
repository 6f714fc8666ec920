// Test fixture for the lab's systemctl stand-in: finds unit files and drop-ins inside the host, and remembers which
// version of each unit was "loaded" so that a unit changed on disk without `daemon-reload` is caught.
import {createHash} from 'node:crypto';
import {existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync} from 'node:fs';
import {hostname} from 'node:os';
import {basename, join} from 'node:path';
import {NotModelled} from './not-modelled.ts';
import {buildService, parseUnitText, type Service} from './unit-file.ts';

/** Where unit files are looked up, highest precedence first (systemd.unit(5), Debian has /lib -> /usr/lib). */
export const unitDirectories = ['/etc/systemd/system', '/run/systemd/system', '/usr/lib/systemd/system'];

/** The stand-in's own state inside the host: one directory per unit (pids, exit status, output). */
export const stateRoot = '/run/lab-systemctl';

export type LoadedUnit = {service: Service; path: string; sources: string[]; fingerprint: string};

export type UnitLookup =
	| {kind: 'found'; unit: LoadedUnit}
	| {kind: 'not-found'; name: string}
	| {kind: 'masked'; name: string};

/** `keepalived` → `keepalived.service`; other unit types are not modelled. */
export function serviceName(argument: string): string {
	const name = argument.includes('.') ? argument : `${argument}.service`;
	if (!name.endsWith('.service')) throw new NotModelled(`unit "${argument}" (only .service units are modelled)`);
	if (name.includes('@')) throw new NotModelled(`template unit "${argument}"`);
	return name;
}

export function unitStateDirectory(name: string): string {
	return join(stateRoot, name);
}

export function lookupUnit(name: string): UnitLookup {
	const fragment = unitDirectories.map((directory) => join(directory, name)).find((path) => existsSync(path));
	if (fragment === undefined) return {kind: 'not-found', name};
	const path = realpathSync(fragment);
	if (path === '/dev/null') return {kind: 'masked', name};
	// An Alias= symlink (etcd2.service -> etcd.service) names the same unit: its state lives under the real name.
	const canonical = basename(path);
	const sources = [path, ...dropIns(canonical)];
	const texts = sources.map((source) => readFileSync(source, 'utf8'));
	const assignments = sources.flatMap((source, index) => parseUnitText(texts[index] ?? '', source));
	const service = buildService(assignments, {unitName: canonical, hostname: hostname()});
	const fingerprint = createHash('sha256')
		.update(sources.map((source, index) => `${source}\n${texts[index]}`).join('\0'))
		.digest('hex');
	return {kind: 'found', unit: {service, path, sources, fingerprint}};
}

/** `NAME.d/*.conf` from every unit directory, sorted by file name; a file in /etc hides one of the same name below. */
function dropIns(name: string): string[] {
	const byFileName = new Map<string, string>();
	for (const directory of [...unitDirectories].reverse()) {
		const dropInDirectory = join(directory, `${name}.d`);
		if (!existsSync(dropInDirectory)) continue;
		for (const file of readdirSync(dropInDirectory)) {
			if (file.endsWith('.conf')) byFileName.set(file, join(dropInDirectory, file));
		}
	}
	return [...byFileName.keys()].sort().map((file) => byFileName.get(file) ?? file);
}

function loadedFingerprintFile(name: string): string {
	return join(unitStateDirectory(name), 'loaded-definition.sha256');
}

/**
Real systemd keeps the definition it loaded and only re-reads unit files on `daemon-reload`; after an edit it prints a
warning and still runs the old definition. The stand-in remembers the definition a unit was started with (an active
unit stays loaded) and, when the files changed since, refuses to act on them (`strict`) or repeats systemd's warning.
*/
export function checkLoadedDefinition(unit: LoadedUnit, strict: boolean): void {
	const file = loadedFingerprintFile(unit.service.name);
	if (!existsSync(file) || readFileSync(file, 'utf8') === unit.fingerprint) return;
	const warning = `The unit file, source configuration file or drop-ins of ${unit.service.name} changed on disk. Run 'systemctl daemon-reload' to reload units.`;
	if (strict) throw new Error(`${warning} Real systemd would go on with the old definition, so the lab refuses.`);
	process.stderr.write(`Warning: ${warning}\n`);
}

export function rememberLoadedDefinition(unit: LoadedUnit): void {
	mkdirSync(unitStateDirectory(unit.service.name), {recursive: true});
	writeFileSync(loadedFingerprintFile(unit.service.name), unit.fingerprint);
}

/** After a stop: systemd unloads inactive units, so the next start reads the files as they are then. */
export function forgetLoadedDefinition(name: string): void {
	rmSync(loadedFingerprintFile(name), {force: true});
}

/** `daemon-reload`: every loaded unit takes the definition its files have now. */
export function reloadLoadedDefinitions(): void {
	const names = existsSync(stateRoot)
		? readdirSync(stateRoot).filter((name) => existsSync(loadedFingerprintFile(name)))
		: [];
	for (const name of names) {
		const lookup = lookupUnit(name);
		if (lookup.kind === 'found') rememberLoadedDefinition(lookup.unit);
		else forgetLoadedDefinition(name);
	}
}
