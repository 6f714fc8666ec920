// TEST FIXTURE, never shipped: the lab's stand-in for containerd 2.x inside a lab host, where no container can run.
// It reports its version, prints its configuration (default, or /etc/containerd/config.toml as loaded), and runs as
// an idle daemon under the containerd unit so that `systemctl enable --now containerd` works. It serves no CRI
// socket. Anything else fails loudly with exit status 1.
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
function serve(): number {
	process.title = 'containerd';
	mkdirSync('/run/containerd', {recursive: true});
	loadedConfig();
	const idle = setInterval(() => undefined, 60_000);
	process.on('SIGTERM', () => clearInterval(idle));
	return 0;
}

runStandIn('containerd', () => {
	const argv = process.argv.slice(2);
	const words = argv.join(' ');
	if (words === '--version' || words === '-v') {
		process.stdout.write('containerd containerd.io v2.1.4 75cb2b7193e4e490e9fbdc236c0e811ccaba3376\n');
		return 0;
	}
	if (words === 'config default') {
		process.stdout.write(defaultConfig);
		return 0;
	}
	if (words === 'config dump') {
		process.stdout.write(loadedConfig());
		return 0;
	}
	if (argv.length === 0) return serve();
	throw new NotModelled(
		`containerd ${words} (modelled: --version, config default, config dump, the daemon without flags)`,
	);
});
