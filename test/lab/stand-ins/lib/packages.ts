// Test fixture for the lab's apt-get and apt-mark stand-ins: which packages a lab host counts as installed.
import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {NotModelled} from './not-modelled.ts';
import {standInDirectory, standInMarker} from './stand-in-commands.ts';

/**
Why `name[=version]` is not installed, or undefined when it is: dpkg has it (at that version), or the lab provides a
stand-in command of the same name (kubeadm, kubelet, …), which then counts as any version.
*/
export function notInstalled(specification: string): string | undefined {
	const [name = '', version] = specification.split('=');
	if (!/^[a-z0-9][a-z0-9+.-]+$/.test(name)) throw new NotModelled(`package specification "${specification}"`);
	const standIn = join(standInDirectory, name);
	if (existsSync(standIn) && readFileSync(standIn, 'utf8').includes(standInMarker)) return undefined;
	// biome-ignore lint/suspicious/noTemplateCurlyInString: ${Field} is dpkg-query's own format syntax.
	const query = spawnSync('dpkg-query', ['--show', '--showformat=${Status}\t${Version}', name], {encoding: 'utf8'});
	const [state, installedVersion] = query.stdout.split('\t');
	if (query.status !== 0 || state !== 'install ok installed') {
		return `${name} is not installed on this machine and no lab stand-in provides it (install it for real with apt-get, or add test/lab/stand-ins/${name}.ts)`;
	}
	if (version !== undefined && version !== installedVersion) {
		return `${name}=${version} was asked for, but ${installedVersion} is installed`;
	}
	return undefined;
}

/** Prints why each package is missing; true when all are installed. */
export function reportMissing(command: string, specifications: readonly string[]): boolean {
	if (specifications.length === 0) throw new NotModelled(`${command} without package names`);
	const reasons = specifications.map(notInstalled).filter((reason) => reason !== undefined);
	for (const reason of reasons) {
		process.stderr.write(`E: ${command} (kubeha lab stand-in, a test fixture): ${reason}\n`);
	}
	return reasons.length === 0;
}
