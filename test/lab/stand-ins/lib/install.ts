// Test fixture for the lab's systemctl stand-in: enable/disable as systemd does them, with symlinks from the unit's
// [Install] section, so that `ls /etc/systemd/system/multi-user.target.wants` inside a host shows what was enabled.
import {existsSync, lstatSync, mkdirSync, rmSync, symlinkSync} from 'node:fs';
import {dirname, join} from 'node:path';
import type {LoadedUnit} from './units.ts';

const configurationDirectory = '/etc/systemd/system';

export type UnitFileState = 'enabled' | 'disabled' | 'static';

function installLinks({service}: LoadedUnit): string[] {
	return [
		...service.wantedBy.map((target) => join(configurationDirectory, `${target}.wants`, service.name)),
		...service.requiredBy.map((target) => join(configurationDirectory, `${target}.requires`, service.name)),
		...service.alias.map((alias) => join(configurationDirectory, alias)),
	];
}

function isLink(path: string): boolean {
	return existsSync(dirname(path)) && lstatSync(path, {throwIfNoEntry: false})?.isSymbolicLink() === true;
}

export function unitFileState(unit: LoadedUnit): UnitFileState {
	const links = installLinks(unit);
	if (links.length === 0) return 'static';
	return links.some(isLink) ? 'enabled' : 'disabled';
}

export function enable(unit: LoadedUnit): void {
	const links = installLinks(unit);
	if (links.length === 0) {
		process.stderr.write(
			`The unit files have no installation config (WantedBy=, RequiredBy=, Alias= settings in the [Install] section) and are not meant to be enabled using systemctl.\n`,
		);
		return;
	}
	for (const link of links.filter((path) => !isLink(path))) {
		mkdirSync(dirname(link), {recursive: true});
		symlinkSync(unit.path, link);
		process.stderr.write(`Created symlink ${link} → ${unit.path}.\n`);
	}
}

export function disable(unit: LoadedUnit): void {
	for (const link of installLinks(unit).filter(isLink)) {
		rmSync(link);
		process.stderr.write(`Removed "${link}".\n`);
	}
}
