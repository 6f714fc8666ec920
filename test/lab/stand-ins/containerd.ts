// TEST FIXTURE, never shipped: the lab's stand-in for containerd inside a lab host, where no container can run.
// It reports the version of the release it was packed as (LAB_CONTAINERD_VERSION, set by the wrapper that
// artifact-fixtures.ts packs into the release archive, or by Debian's package), prints its configuration (default,
// or /etc/containerd/config.toml as loaded) when it is 2.x, and runs as an idle daemon under the containerd unit so
// that `systemctl enable --now containerd` works. It serves no CRI socket. Anything else fails loudly with exit 1.
import {existsSync, mkdirSync, readFileSync} from 'node:fs';
import {defaultConfig} from './lib/containerd-config.ts';
import {NotModelled, runStandIn} from './lib/not-modelled.ts';

const configPath = '/etc/containerd/config.toml';

/**
`config dump`: the configuration containerd runs with. The real one merges the file into the defaults and prints
every key; here the file is printed as it is, which holds the same values for the keys kubeha checks when the file
came from `config default`. A file of another config version would be migrated by the real one: not modelled.
*/
function loadedConfig(): string {
	if (!existsSync(configPath)) return defaultConfig;
	const text = readFileSync(configPath, 'utf8');
	if (!/^version = 3$/m.test(text))
		throw new NotModelled(`${configPath} without "version = 3" (containerd 2 migrates it)`);
	return text;
}

/** The daemon: idle until stopped, under its real name for ps and ss. */
function serve(version: string): number {
	process.title = 'containerd';
	mkdirSync('/run/containerd', {recursive: true});
	if (/ v?2\./.test(version)) loadedConfig();
	const idle = setInterval(() => undefined, 60_000);
	process.on('SIGTERM', () => clearInterval(idle));
	return 0;
}

/** `containerd --version` of the release this copy stands for, e.g. `containerd github.com/containerd/containerd/v2 v2.3.4 <commit>`. */
function versionLine(): string {
	const line = process.env['LAB_CONTAINERD_VERSION'];
	if (line === undefined) throw new NotModelled('a containerd without LAB_CONTAINERD_VERSION (which release is it?)');
	return line;
}

runStandIn('containerd', () => {
	const argv = process.argv.slice(2);
	const words = argv.join(' ');
	const version = versionLine();
	if (words === '--version' || words === '-v') {
		process.stdout.write(`${version}\n`);
		return 0;
	}
	// containerd 1.x writes config version 2, with other plugin names: kubeha never configures one (it replaces it).
	if (!/ v?2\./.test(version) && argv.length > 0) throw new NotModelled(`containerd ${words} on ${version}`);
	if (words === 'config default') {
		process.stdout.write(defaultConfig);
		return 0;
	}
	if (words === 'config dump') {
		process.stdout.write(loadedConfig());
		return 0;
	}
	if (argv.length === 0) return serve(version);
	throw new NotModelled(
		`containerd ${words} (modelled: --version, config default, config dump, the daemon without flags)`,
	);
});
