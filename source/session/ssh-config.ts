import {join} from 'node:path';
import {writeFileAtomic} from '../io/atomic-write.ts';
import {UserError} from '../io/user-error.ts';

/** An ssh option from `--ssh-option KEY=VALUE`. */
export type SshOption = {readonly key: string; readonly value: string};

/** `KEY=VALUE` texts as options; a malformed one is the user's to fix. */
export function parseSshOptions(texts: readonly string[]): SshOption[] {
	return texts.map((text) => {
		const match = /^([A-Za-z][A-Za-z\d]*)=(.+)$/.exec(text);
		if (!match) {
			throw new UserError(
				`--ssh-option ${JSON.stringify(text)} is not KEY=VALUE (an ssh_config option, e.g. UserKnownHostsFile=/path/known_hosts).`,
			);
		}

		return {key: match[1] ?? '', value: match[2] ?? ''};
	});
}

/**
The ssh configuration kubeha apply uses for its `--ssh-option`s: those options first (ssh takes the first value
it reads), then the operator's own configuration, which `-F` would otherwise replace. Options kubeha passes
on the command line itself (BatchMode, StrictHostKeyChecking, ControlPath…) still win.
*/
export function sshConfigText(options: readonly SshOption[]): string {
	const value = (text: string) => (/\s/.test(text) ? `"${text}"` : text);
	return [
		"# Written by kubeha apply for its --ssh-option flags; the operator's own ssh configuration follows.",
		...options.map((option) => `${option.key} ${value(option.value)}`),
		'Include ~/.ssh/config',
		'Include /etc/ssh/ssh_config',
		'',
	].join('\n');
}

/** Writes `<state directory>/ssh_config` for the options and returns its path; none without options. */
export async function writeSshConfig(
	stateDirectory: string,
	options: readonly SshOption[],
): Promise<string | undefined> {
	if (options.length === 0) {
		return undefined;
	}

	const path = join(stateDirectory, 'ssh_config');
	await writeFileAtomic(path, sshConfigText(options), 0o600);
	return path;
}
