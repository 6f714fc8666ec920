// Test fixture for the lab's kubeadm stand-in: starting and stopping the kube-apiserver stand-in on a control plane
// (a detached process with a pidfile, where a real node has the kubelet run the static pod).
import {spawn} from 'node:child_process';
import {closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {kubeRequest} from './kube-client.ts';
import {KubeadmError, runtimeDirectory} from './kubeadm-output.ts';

export const apiserverPidFile = join(runtimeDirectory, 'kube-apiserver.pid');
/** Its stdout and stderr: every request but health checks, and loud NOT MODELLED lines. */
const apiserverLog = '/var/log/lab-kube-apiserver.log';
/** Its replica of the cluster's store (kube-store.ts); kubeadm reset removes it, as it empties /var/lib/etcd. */
export const apiserverStateDirectory = '/var/lib/lab-kube-apiserver';
export const apiserverStateFile = join(apiserverStateDirectory, 'store.json');

const script = join(import.meta.dirname, 'kube-apiserver.ts');
const startWaitMs = 15_000;
const stopWaitMs = 10_000;

/** Alive and not a zombie (the host's PID 1 reaps, but not at once). */
function isAlive(pid: number): boolean {
	try {
		return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
	} catch {
		return false;
	}
}

function runningPid(): number | undefined {
	if (!existsSync(apiserverPidFile)) return undefined;
	const pid = Number.parseInt(readFileSync(apiserverPidFile, 'utf8'), 10);
	return isAlive(pid) ? pid : undefined;
}

async function healthy(address: string, port: number): Promise<boolean> {
	try {
		const response = await kubeRequest(
			{server: `https://${address}:${port}`, insecure: true, timeoutMs: 1000},
			'GET',
			'/livez',
		);
		return response.status === 200;
	} catch {
		return false;
	}
}

function logTail(): string {
	return existsSync(apiserverLog) ? readFileSync(apiserverLog, 'utf8').trim().split('\n').slice(-5).join('\n') : '';
}

/**
node, under the name kube-apiserver: the process's name (`pgrep -x`, `ss -p`) is kube-apiserver and its command
line (/proc/PID/cmdline) carries its flags, as a static pod's process shows on the host.
*/
const apiserverCommand = join(runtimeDirectory, 'bin', 'kube-apiserver');

function linkApiserverCommand(): void {
	mkdirSync(dirname(apiserverCommand), {recursive: true});
	try {
		symlinkSync(process.execPath, apiserverCommand);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
	}
}

/**
Starts the stand-in, detached, with kube-apiserver-style flags (`kube-apiserver <script> --name=value…`), its
output appended to the log and its pid in the pid file; kubeadm, and the stand-in itself when its manifest
changes (the kubelet's part), start it so.
*/
export function spawnApiserver(flags: Readonly<Record<string, string>>): void {
	mkdirSync(runtimeDirectory, {recursive: true});
	mkdirSync(apiserverStateDirectory, {recursive: true});
	linkApiserverCommand();
	const log = openSync(apiserverLog, 'a');
	const child = spawn(
		apiserverCommand,
		[script, ...Object.entries(flags).map(([name, value]) => `--${name}=${value}`)],
		{
			argv0: 'kube-apiserver',
			detached: true,
			stdio: ['ignore', log, log],
		},
	);
	closeSync(log);
	child.unref();
	writeFileSync(apiserverPidFile, String(child.pid));
}

/** Starts the stand-in (`spawnApiserver`) and waits until it answers /livez, as kubeadm's control-plane-check does. */
export async function startApiserver(flags: Record<string, string>): Promise<void> {
	if (runningPid() !== undefined)
		throw new KubeadmError(`a kube-apiserver stand-in already runs (pid file ${apiserverPidFile})`);
	spawnApiserver(flags);
	const address = flags['advertise-address'] ?? '';
	const port = Number(flags['secure-port']);
	process.stdout.write(`[control-plane-check] Checking kube-apiserver at https://${address}:${port}/livez\n`);
	const started = Date.now();
	while (!(await healthy(address, port))) {
		if (runningPid() === undefined || Date.now() - started > startWaitMs) {
			throw new KubeadmError(
				`kube-apiserver (lab stand-in) did not become healthy at https://${address}:${port}/livez; the end of ${apiserverLog}:\n${logTail()}`,
				'wait-control-plane',
			);
		}
		await delay(100);
	}
	process.stdout.write(
		`[control-plane-check] kube-apiserver is healthy after ${((Date.now() - started) / 1000).toFixed(1)}s\n`,
	);
}

/** SIGTERM (it leaves the cluster cleanly), then SIGKILL after 10 s; true when one was running. */
export async function stopApiserver(): Promise<boolean> {
	const pid = runningPid();
	rmSync(apiserverPidFile, {force: true});
	if (pid === undefined) return false;
	process.kill(pid, 'SIGTERM');
	const deadline = Date.now() + stopWaitMs;
	while (isAlive(pid) && Date.now() < deadline) await delay(50);
	if (isAlive(pid)) process.kill(pid, 'SIGKILL');
	return true;
}
