import {error, show} from '../finding.ts';
import type {Rule} from './rule.ts';

/** Names useradd accepts without --badname (Debian's NAME_REGEX, upper case allowed for the systems that do). */
const userPattern = /^[a-z_][a-z\d_-]*$/i;
const maxUserLength = 32;

function userProblem(user: string): {readonly reason: string; readonly fix: string} | undefined {
	if (user === '') {
		return {
			reason: 'is empty',
			fix: 'write the user kubeha logs in as, e.g. "root" or an admin with password-less sudo.',
		};
	}

	if (user.includes('@')) {
		const name = user.split('@')[0] ?? '';
		return {
			reason: 'looks like user@host; the hosts come from nodes[].address',
			fix: name ? `write ${show(name)}.` : 'write only the user name.',
		};
	}

	if (user.startsWith('-')) {
		return {
			reason: 'starts with "-", which ssh would read as an option',
			fix: 'write the user name without the leading "-".',
		};
	}

	if (user.length > maxUserLength || !userPattern.test(user)) {
		return {
			reason: `is not a Linux user name (letters, digits, "_" and "-", at most ${maxUserLength} characters, not starting with a digit)`,
			fix: 'write the name as `id -un` prints it on the nodes.',
		};
	}

	return undefined;
}

const sshUser: Rule = (spec) => {
	const problem = userProblem(spec.ssh.user);
	return problem
		? [error('ssh-user', 'ssh.user', `ssh.user is ${show(spec.ssh.user)}, which ${problem.reason}`, problem.fix)]
		: [];
};

const sshIdentityFile: Rule = (spec) => {
	const file = spec.ssh.identityFile;
	// A public key is a valid value: with an agent, ssh picks the matching private key from it.
	if (file === undefined || file.trim() !== '') {
		return [];
	}

	return [
		error(
			'ssh-identity-file',
			'ssh.identityFile',
			`ssh.identityFile is ${show(file)}, an empty path`,
			'write the path of the private key, e.g. "~/.ssh/id_ed25519", or remove the field to use the SSH agent and ~/.ssh/config.',
		),
	];
};

export const sshRules: readonly Rule[] = [sshUser, sshIdentityFile];
