import {sh} from './shell.ts';

export type WrapOptions = {
	readonly input?: string;
	readonly env?: Readonly<Record<string, string>>;
};

const variableName = /^[A-Za-z_]\w*$/;

/**
The text fed to `bash -s` on standard input, locally and over SSH, so the script never appears on a command
line. It runs the script with `set -euo pipefail` and ends it when its standard input closes early.

Why a watchdog: bash keeps reading this text from stdin, and the caller holds stdin open until the script
ends. If the caller goes away (Ctrl-C kills the ssh client, the connection drops), sshd does not signal a
command that has no terminal, so a remote `kubeadm init` would carry on. The watchdog sees stdin close and
ends the script's whole process group (`set -m` gives the script its own group). The driver is called on the
last line, so bash has read everything before the watchdog starts reading; the script itself reads its own
input (the `input` option, carried as base64 so any bytes survive) or an empty file, never this text.
*/
export function wrapScript(script: string, {input, env = {}}: WrapOptions = {}): string {
	const exports = Object.entries(env).map(([name, value]) => {
		if (!variableName.test(name)) {
			throw new Error(
				`environment variable name ${JSON.stringify(name)} is not a shell variable name: use letters, digits and _, not starting with a digit.`,
			);
		}

		return `export ${name}=${sh`${value}`}`;
	});
	const stdin = input ? `< <(printf %s '${Buffer.from(input).toString('base64')}' | base64 -d)` : '</dev/null';
	return [
		'set -euo pipefail',
		...exports,
		'kubeha_script() {',
		script,
		'}',
		`kubeha_main() { kubeha_script ${stdin}; }`,
		'kubeha_drive() {',
		'\tset -m',
		'\tkubeha_main &',
		'\tlocal main=$!',
		'\t{ cat >/dev/null; kill -TERM -- "-$main"; sleep 5; kill -KILL -- "-$main"; } <&0 >/dev/null 2>&1 &',
		'\tlocal watchdog=$!',
		'\tlocal status=0',
		'\twait "$main" || status=$?',
		// Past this point bash would only report the watchdog's end as a job notice on stderr.
		'\texec 2>/dev/null',
		'\tkill -KILL -- "-$watchdog" || true',
		'\texit "$status"',
		'}',
		'kubeha_drive',
		'',
	].join('\n');
}
