// Test fixture: starting a lab host (its PID 1, host-init.sh) and running commands inside it.
import {spawn} from 'node:child_process';
import {closeSync, existsSync, openSync, readFileSync, writeFileSync} from 'node:fs';
import {connect} from 'node:net';
import {dirname, join} from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';

const initScript = join(import.meta.dirname, 'host-init.sh');
/**
What the stand-ins run from, which host-init.sh keeps visible inside the host: the checkout, and the directory of
the Node that runs them (a Node under /tmp, as a CI cache may put it, would otherwise vanish under the host's own /tmp).
*/
const keptPaths = [join(import.meta.dirname, '..', '..'), dirname(process.execPath)];
const initWaitMs = 5000;
const sshWaitMs = 15_000;
/** The PATH Debian's sshd gives root's sessions, so that exec() sees the same commands as ssh. */
const sessionPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export type ExecResult = {code: number; stdout: string; stderr: string};
export type ExecOptions = {input?: string; timeoutMs?: number};

/**
Starts the host's PID 1 in its network namespace and in new mount, UTS and PID namespaces, detached from this
process (a crashed test leaves it running; the next start cleans it up). Its console output goes to console.log.
Returns the pid of the host's PID 1 as the root namespace sees it.
*/
export async function startHostProcess(namespace: string, name: string, directory: string): Promise<number> {
	const consoleLog = openSync(join(directory, 'console.log'), 'a');
	const anchor = spawn(
		'ip',
		[
			...['netns', 'exec', namespace],
			...['unshare', '--mount', '--uts', '--pid', '--fork', '--kill-child', '--mount-proc', '--propagation', 'private'],
			...['bash', initScript, name, directory, ...keptPaths],
		],
		{detached: true, stdio: ['ignore', consoleLog, consoleLog]},
	);
	anchor.unref();
	closeSync(consoleLog);
	const anchorPid = anchor.pid;
	if (anchorPid === undefined) throw new Error(`${name}: could not start ip netns exec … unshare`);
	writeFileSync(join(directory, 'anchor.pid'), String(anchorPid));
	// `unshare --fork` runs host-init.sh as its child, which is PID 1 of the new PID namespace.
	const children = `/proc/${anchorPid}/task/${anchorPid}/children`;
	const deadline = Date.now() + initWaitMs;
	while (Date.now() < deadline) {
		const child = existsSync(children) ? Number.parseInt(readFileSync(children, 'utf8'), 10) : Number.NaN;
		if (!Number.isNaN(child)) {
			writeFileSync(join(directory, 'init.pid'), String(child));
			return child;
		}
		await delay(20);
	}
	throw new Error(`${name}: host-init.sh did not start within ${initWaitMs} ms; see ${join(directory, 'console.log')}`);
}

function portOpen(address: string, port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect({host: address, port, timeout: 1000});
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('timeout', () => {
			socket.destroy();
			resolve(false);
		});
		socket.once('error', () => resolve(false));
	});
}

export async function waitForSsh(name: string, address: string, consoleLog: string): Promise<void> {
	const deadline = Date.now() + sshWaitMs;
	while (!(await portOpen(address, 22))) {
		if (Date.now() > deadline) {
			throw new Error(`${name}: sshd did not listen on ${address}:22 within ${sshWaitMs} ms; see ${consoleLog}`);
		}
		await delay(50);
	}
}

/** Runs a program to its end and collects its output; rejects only when it cannot start or times out. */
export function runProcess(file: string, args: readonly string[], {input, timeoutMs = 60_000}: ExecOptions = {}) {
	return new Promise<ExecResult>((resolve, reject) => {
		const child = spawn(file, args, {stdio: ['pipe', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			stdout += chunk;
		});
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
			stderr += chunk;
		});
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`timed out after ${timeoutMs} ms: ${file} ${args.join(' ')}`));
		}, timeoutMs);
		child.once('error', reject);
		child.once('close', (code) => {
			clearTimeout(timer);
			resolve({code: code ?? 128, stdout, stderr});
		});
		// A command that exits before reading its stdin makes the write fail with EPIPE; its exit code tells the story.
		child.stdin.on('error', () => undefined);
		child.stdin.end(input ?? '');
	});
}

/** Runs `command` with bash inside the host's namespaces, with a clean environment like an ssh session's. */
export function execInHost(initPid: number, command: string, options?: ExecOptions): Promise<ExecResult> {
	return runProcess(
		'nsenter',
		[
			...['--target', String(initPid), '--mount', '--uts', '--net', '--pid', '--wd=/root', '--'],
			...['env', '-i', `PATH=${sessionPath}`, 'HOME=/root', 'USER=root', 'LANG=C.UTF-8', 'bash', '-c', command],
		],
		options,
	);
}
