// Test fixture: stand-ins for etcdctl, etcdutl and crictl on a PATH of their own, for running kubeha's backup scripts
// with a local bash. They record their arguments, answer the commands the scripts use as the real tools do (a
// snapshot file, status JSON), and fail on anything else.
import {chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createLocalShell} from '../../source/runner/local-shell.ts';
import type {Shell} from '../../source/runner/shell.ts';

export const fakeSnapshotBytes = 'fake snapshot bytes\n';
export const fakeStatus = {hash: 123, revision: 45, totalKey: 6, totalSize: 20_480};

const tool = `#!/bin/bash
echo "$(basename "$0") $*" >> "$KUBEHA_FAKE_LOG"
for refused in $KUBEHA_FAKE_REFUSE; do
	case " $* " in *" $refused "*) echo "Error: context deadline exceeded ($refused)" >&2; exit 1 ;; esac
done
for silent in $KUBEHA_FAKE_SILENT; do
	case " $* " in *" $silent "*) exit 0 ;; esac
done
last="\${*: -1}"
case " $* " in
	*" ps --name ^etcd\\$ --state running --quiet "*) echo 0123abcd ;;
	*" endpoint health "*) echo "is healthy: successfully committed proposal" >&2 ;;
	*" snapshot save "*) printf '${fakeSnapshotBytes.replace('\n', '\\n')}' > "$last"; echo "Snapshot saved at $last" ;;
	*" snapshot status "*" -w json "*) echo '${JSON.stringify(fakeStatus)}' ;;
	*" snapshot restore --help "*) echo "$KUBEHA_FAKE_RESTORE_HELP" ;;
	*" snapshot restore "*) ;;
	*) echo "fake $(basename "$0"): not modelled: $*" >&2; exit 2 ;;
esac
`;

export type FakeTools = {
	/** A local shell whose scripts find the fakes first on their PATH. */
	readonly shell: Shell;
	/** Every call, one line each: `<tool> <arguments>`. */
	readonly calls: () => string[];
	readonly remove: () => void;
};

/**
The fakes in a directory of their own. `tools` picks which exist (a host without etcdutl has etcd 3.4). A call
with one of the words in `refuse` among its arguments fails as etcdctl does against a member that does not
answer; one with a word in `silent` succeeds and prints nothing (crictl ps finding no container).
`snapshot restore --help` prints `restoreHelp`; `snapshot restore` itself only records its arguments.
*/
export function fakeEtcdTools(
	tools: readonly ('etcdctl' | 'etcdutl' | 'crictl')[],
	{
		refuse = [],
		silent = [],
		restoreHelp = '',
	}: {refuse?: readonly string[]; silent?: readonly string[]; restoreHelp?: string} = {},
): FakeTools {
	const directory = mkdtempSync(join(tmpdir(), 'kubeha-fake-etcd-'));
	for (const name of tools) {
		writeFileSync(join(directory, name), tool);
		chmodSync(join(directory, name), 0o755);
	}

	const log = join(directory, 'calls.log');
	writeFileSync(log, '');
	const local = createLocalShell();
	const env = {
		PATH: `${directory}:/usr/sbin:/usr/bin:/sbin:/bin`,
		KUBEHA_FAKE_LOG: log,
		KUBEHA_FAKE_REFUSE: refuse.join(' '),
		KUBEHA_FAKE_SILENT: silent.join(' '),
		KUBEHA_FAKE_RESTORE_HELP: restoreHelp,
	};
	return {
		shell: {
			run: (host, script, options = {}) => local.run(host, script, {...options, env: {...options.env, ...env}}),
			close: () => local.close(),
		},
		calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean),
		remove: () => rmSync(directory, {recursive: true, force: true}),
	};
}
