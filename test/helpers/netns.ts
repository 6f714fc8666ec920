import {type SpawnSyncReturns, spawnSync} from 'node:child_process';

/**
Throwaway network namespaces for tests that need real interfaces (keepalived checks that the interface it is
told about exists). Every namespace is named `kubeha-test-<pid>-<n>` and deleted after use, also when the
command fails or throws; namespaces left by a test process that died (killed, crashed) are deleted before the
first new one is made. Namespaces of test processes still running are left alone: test files run in parallel.
*/
const prefix = 'kubeha-test-';
let made = 0;
let sweptLeftovers = false;

const run = (command: string, args: readonly string[]): SpawnSyncReturns<string> =>
	spawnSync(command, args, {encoding: 'utf8', timeout: 30_000});

function ip(...args: string[]): void {
	const result = run('ip', args);
	if (result.status !== 0) {
		throw new Error(`ip ${args.join(' ')} failed (${result.status}): ${result.stderr || result.error?.message}`);
	}
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Deletes the namespaces of test processes that are gone. */
function sweepLeftovers(): void {
	const names = run('ip', ['netns', 'list'])
		.stdout.split('\n')
		.map((line) => line.split(' ')[0] ?? '');
	for (const name of names.filter((candidate) => candidate.startsWith(prefix))) {
		const pid = Number(name.slice(prefix.length).split('-')[0]);
		if (!(Number.isInteger(pid) && alive(pid))) {
			run('ip', ['netns', 'delete', name]);
		}
	}
}

/**
Why this machine cannot make network namespaces, or undefined when it can: it takes root (or CAP_NET_ADMIN
and CAP_SYS_ADMIN) and iproute2. Tests that need one skip with this text as the reason.
*/
export function netnsUnavailable(): string | undefined {
	if (process.platform !== 'linux') {
		return `network namespaces are Linux only (this is ${process.platform})`;
	}

	if (run('ip', ['-V']).status !== 0) {
		return 'iproute2 (`ip`) is not installed: apt-get install -y iproute2';
	}

	try {
		withNetns([], () => undefined);
		return undefined;
	} catch (error) {
		return `cannot make a network namespace here (it takes root; run the tests as root): ${(error as Error).message.trim()}`;
	}
}

/**
Adds an interface that only has to exist: a dummy one, or an empty bridge on kernels built without the dummy
driver (`Error: Unknown device type.`). Both are up and carry no traffic anywhere.
*/
function addInterface(namespace: string, name: string): void {
	const dummy = run('ip', ['-n', namespace, 'link', 'add', name, 'type', 'dummy']);
	if (dummy.status !== 0) {
		ip('-n', namespace, 'link', 'add', name, 'type', 'bridge');
	}

	ip('-n', namespace, 'link', 'set', name, 'up');
}

/** A command to run inside the namespace; `binds` are bind-mounted first, seen by that command only. */
export type NetnsCommand = {
	readonly command: string;
	readonly args: readonly string[];
	/** Host directories mounted over others (e.g. rendered files over /etc/keepalived). */
	readonly binds?: ReadonlyArray<{readonly source: string; readonly target: string}>;
};

/**
Makes a namespace with the given interfaces (and loopback), calls `use` with a function that runs commands
inside it, and deletes the namespace whatever happens.
*/
export function withNetns<T>(
	interfaces: readonly string[],
	use: (exec: (command: NetnsCommand) => SpawnSyncReturns<string>) => T,
): T {
	if (!sweptLeftovers) {
		sweepLeftovers();
		sweptLeftovers = true;
	}

	made += 1;
	const namespace = `${prefix}${process.pid}-${made}`;
	ip('netns', 'add', namespace);
	try {
		ip('-n', namespace, 'link', 'set', 'lo', 'up');
		for (const name of interfaces) {
			addInterface(namespace, name);
		}

		// `ip netns exec` gives the command its own mount namespace, so the bind mounts end with it.
		return use(({command, args, binds = []}) =>
			run('ip', [
				'netns',
				'exec',
				namespace,
				'sh',
				'-c',
				`${binds.map((_, index) => `mount --bind "\${${2 * index + 1}}" "\${${2 * index + 2}}" && `).join('')}shift ${2 * binds.length} && exec "$@"`,
				'sh',
				...binds.flatMap(({source, target}) => [source, target]),
				command,
				...args,
			]),
		);
	} finally {
		run('ip', ['netns', 'delete', namespace]);
	}
}
