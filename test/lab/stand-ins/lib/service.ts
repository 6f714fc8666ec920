// Test fixture for the lab's systemctl stand-in: starts, stops and reloads one service's processes inside the host
// (there is no systemd and no cgroup here: a process group stands in for the unit's cgroup).
import {spawn, spawnSync} from 'node:child_process';
import {
	closeSync,
	existsSync,
	mkdirSync,
	openSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync,
	writeSync,
} from 'node:fs';
import {join} from 'node:path';
import {NotModelled} from './not-modelled.ts';
import {type Command, expandCommand, parseEnvironmentFile, type Service} from './unit-file.ts';
import {
	checkLoadedDefinition,
	forgetLoadedDefinition,
	type LoadedUnit,
	rememberLoadedDefinition,
	unitStateDirectory,
} from './units.ts';

export type ActiveState = 'active' | 'activating' | 'inactive' | 'failed';
export type Status = {state: ActiveState; mainPid: number; note?: string};

/** systemd's PATH for services; the caller's environment is not passed on, as with systemd. */
const servicePath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** Exit statuses of a main process that systemd counts as a clean stop: 0 and death by SIGHUP, SIGINT, SIGTERM, SIGPIPE. */
const cleanExitStatuses = [0, 128 + 1, 128 + 2, 128 + 15, 128 + 13];
const supervisor = join(import.meta.dirname, 'supervise.sh');
const restartScript = join(import.meta.dirname, 'service-exited.ts');
const startWaitMs = 5000;
/** Type=notify services are not watched for READY=1; a process that dies this soon still fails the start. */
const notifySettleMs = 500;
export const stopWaitMs = 10_000;
const commandTimeoutMs = 90_000;

export function files(name: string) {
	const directory = unitStateDirectory(name);
	return {
		directory,
		mainPid: join(directory, 'main.pid'),
		/** The supervisor's pid, which is also the process group of everything the service started. */
		group: join(directory, 'group.pid'),
		exitStatus: join(directory, 'exit-status'),
		remainActive: join(directory, 'remain-active'),
		conditionFailed: join(directory, 'condition-failed'),
		output: join(directory, 'output.log'),
		/** The script supervise.sh hands over to when the main process ends (restart.ts). */
		onExit: join(directory, 'on-exit'),
		/** Present while `systemctl stop` runs: the end of the main process is then no reason to restart it. */
		stopping: join(directory, 'stopping'),
		/** Present while a restart waits its RestartSec= ("activating (auto-restart)"). */
		autoRestart: join(directory, 'auto-restart'),
		/** When the unit was started (ms since the epoch, a line each), for StartLimitIntervalSec=/StartLimitBurst=. */
		starts: join(directory, 'starts'),
		startLimitHit: join(directory, 'start-limit-hit'),
	};
}

export function outputFile(name: string): string {
	return files(name).output;
}

export function sleep(milliseconds: number): void {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, milliseconds);
}

export function readNumber(path: string): number | undefined {
	if (!existsSync(path)) return undefined;
	const value = Number.parseInt(readFileSync(path, 'utf8'), 10);
	return Number.isNaN(value) ? undefined : value;
}

/** Alive and not a zombie (the host's PID 1 reaps zombies, but not instantly). */
export function isAlive(pid: number): boolean {
	try {
		return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
	} catch {
		return false;
	}
}

export function waitFor(condition: () => boolean, milliseconds: number): boolean {
	const deadline = Date.now() + milliseconds;
	while (!condition()) {
		if (Date.now() > deadline) return false;
		sleep(20);
	}
	return true;
}

export function signal(pid: number, name: NodeJS.Signals): void {
	try {
		process.kill(pid, name);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
	}
}

export function status(service: Service): Status {
	const paths = files(service.name);
	const mainPid = readNumber(paths.mainPid);
	if (mainPid !== undefined && isAlive(mainPid)) return {state: 'active', mainPid};
	if (existsSync(paths.autoRestart)) return {state: 'activating', mainPid: 0, note: 'auto-restart'};
	if (existsSync(paths.startLimitHit)) return {state: 'failed', mainPid: 0, note: 'start-limit-hit'};
	if (existsSync(paths.remainActive)) return {state: 'active', mainPid: 0, note: 'exited'};
	if (existsSync(paths.conditionFailed)) {
		return {state: 'inactive', mainPid: 0, note: readFileSync(paths.conditionFailed, 'utf8')};
	}
	const exitStatus = readNumber(paths.exitStatus);
	if (exitStatus === undefined) return {state: 'inactive', mainPid: 0};
	return {state: cleanExit(service, exitStatus) ? 'inactive' : 'failed', mainPid: 0, note: `exit status ${exitStatus}`};
}

/** A clean end (systemd.service(5), Restart=): exit 0, SIGHUP, SIGINT, SIGTERM, SIGPIPE, or a SuccessExitStatus=. */
export function cleanExit(service: Service, exitStatus: number): boolean {
	return [...cleanExitStatuses, ...service.successExitStatus].includes(exitStatus);
}

type Account = {uid: number; gid: number; home: string; shell: string};

function account(service: Service): Account | undefined {
	if (service.user === undefined) return undefined;
	const passwd = spawnSync('getent', ['passwd', service.user], {encoding: 'utf8'});
	const [, , uid, gid, , home = '/', shell = '/bin/sh'] = passwd.stdout.trim().split(':');
	if (passwd.status !== 0 || uid === undefined || gid === undefined) {
		throw new Error(`${service.name}: User=${service.user} does not exist in this host`);
	}
	let groupId = Number(gid);
	if (service.group !== undefined) {
		const group = spawnSync('getent', ['group', service.group], {encoding: 'utf8'});
		const id = group.stdout.split(':')[2];
		if (group.status !== 0 || id === undefined)
			throw new Error(`${service.name}: Group=${service.group} does not exist`);
		groupId = Number(id);
	}
	return {uid: Number(uid), gid: groupId, home, shell};
}

function environment(service: Service, user: Account | undefined): Record<string, string> {
	const variables: Record<string, string> = {PATH: servicePath};
	if (user && service.user !== undefined) {
		Object.assign(variables, {HOME: user.home, USER: service.user, LOGNAME: service.user, SHELL: user.shell});
	}
	for (const [key, value] of service.environment) variables[key] = value;
	for (const {path, optional} of service.environmentFiles) {
		if (!existsSync(path)) {
			if (optional) continue;
			throw new Error(`${service.name}: EnvironmentFile=${path} does not exist (prefix it with "-" if it is optional)`);
		}
		for (const [key, value] of parseEnvironmentFile(readFileSync(path, 'utf8'), path)) variables[key] = value;
	}
	return variables;
}

type Run = {service: Service; variables: Record<string, string>; user: Account | undefined; output: number};

/** The argv of a command, run through setpriv when the unit has User= (setpriv execs, so the pid stays the same). */
function argv(run: Run, command: Command, privileged: boolean): string[] {
	const words = expandCommand(command, run.variables);
	if (run.user === undefined || privileged) return words;
	return ['setpriv', `--reuid=${run.user.uid}`, `--regid=${run.user.gid}`, '--init-groups', '--', ...words];
}

function runCommand(run: Run, key: string, command: Command, privileged = false): void {
	const [file = '', ...args] = argv(run, command, privileged);
	writeSync(run.output, `--- ${key}=${command.text}\n`);
	const result = spawnSync(file, args, {
		env: run.variables,
		cwd: run.service.workingDirectory ?? '/',
		stdio: ['ignore', run.output, run.output],
		timeout: commandTimeoutMs,
	});
	const code = result.status ?? 128;
	if (code !== 0 && !command.ignoreFailure) {
		throw new Error(
			`Job for ${run.service.name} failed: ${key}=${command.text} exited with ${code}. See "systemctl status ${run.service.name}" (output in ${files(run.service.name).output}).`,
		);
	}
}

function prepare(service: Service, mainPid?: number): Run {
	const paths = files(service.name);
	mkdirSync(paths.directory, {recursive: true});
	const user = account(service);
	const variables = environment(service, user);
	if (mainPid !== undefined) Object.assign(variables, {MAINPID: String(mainPid)});
	return {service, variables, user, output: openSync(paths.output, 'a')};
}

function failedCondition(service: Service): string | undefined {
	for (const {key, path, negate} of service.conditions) {
		const holds = key === 'ConditionPathExists' ? existsSync(path) : existsSync(path) && statSync(path).size > 0;
		if (holds === negate) return `${key}=${negate ? '!' : ''}${path} was not met`;
	}
	return undefined;
}

export function start(unit: LoadedUnit): void {
	const {service} = unit;
	checkLoadedDefinition(unit, true);
	if (status(service).state === 'active') return;
	const paths = files(service.name);
	for (const path of [paths.exitStatus, paths.remainActive, paths.conditionFailed, paths.mainPid, paths.group]) {
		rmSync(path, {force: true});
	}
	countStart(service);
	const unmet = failedCondition(service);
	if (unmet !== undefined) {
		// Like systemd: an unmet condition skips the start quietly and the unit stays inactive.
		mkdirSync(paths.directory, {recursive: true});
		writeFileSync(paths.conditionFailed, unmet);
		return;
	}
	const run = prepare(service);
	try {
		for (const command of service.execStartPre) runCommand(run, 'ExecStartPre', command, service.permissionsStartOnly);
		startMain(run);
		Object.assign(run.variables, {MAINPID: String(status(service).mainPid)});
		for (const command of service.execStartPost)
			runCommand(run, 'ExecStartPost', command, service.permissionsStartOnly);
	} catch (error) {
		stopProcesses(service);
		// Keep the main process's own exit status when it is the one that failed.
		if (!existsSync(paths.exitStatus)) writeFileSync(paths.exitStatus, '1');
		throw error;
	} finally {
		closeSync(run.output);
	}
	rememberLoadedDefinition(unit);
}

/**
StartLimitIntervalSec=/StartLimitBurst= (systemd.unit(5)): more than `burst` starts within the interval, manual or
by Restart=, and the unit may not start again until the interval has passed or `systemctl reset-failed`.
*/
function countStart(service: Service): void {
	const paths = files(service.name);
	const {intervalMs, burst} = service.startLimit;
	const now = Date.now();
	const recent = existsSync(paths.starts)
		? readFileSync(paths.starts, 'utf8')
				.split('\n')
				.map(Number)
				.filter((time) => time > 0 && now - time < intervalMs)
		: [];
	if (intervalMs > 0 && recent.length >= burst) {
		writeFileSync(paths.startLimitHit, '');
		throw new Error(
			`Job for ${service.name} failed because start of the service was attempted too often. To force a start use "systemctl reset-failed ${service.name}" followed by "systemctl start ${service.name}" again.`,
		);
	}
	mkdirSync(paths.directory, {recursive: true});
	rmSync(paths.startLimitHit, {force: true});
	writeFileSync(paths.starts, [...recent, now].map((time) => `${time}\n`).join(''));
}

/** `systemctl reset-failed`: forgets a failed end and the start counter. */
export function resetFailed(service: Service): void {
	const paths = files(service.name);
	if (status(service).state !== 'failed') return;
	for (const path of [paths.starts, paths.startLimitHit, paths.exitStatus]) rmSync(path, {force: true});
}

/** Quoted for sh, for the on-exit script; the lab's paths never hold a single quote. */
function shellWord(word: string): string {
	if (word.includes("'")) throw new Error(`cannot quote ${word} for sh`);
	return `'${word}'`;
}

function startMain(run: Run): void {
	const {service} = run;
	const paths = files(service.name);
	if (service.type === 'oneshot') {
		for (const command of service.execStart) runCommand(run, 'ExecStart', command);
		if (service.remainAfterExit) writeFileSync(paths.remainActive, '');
		return;
	}
	const [command] = service.execStart;
	if (command === undefined) throw new NotModelled(`${service.name}: no ExecStart=`);
	if (service.type === 'forking') {
		runCommand(run, 'ExecStart', command);
		const pidFile = service.pidFile ?? '';
		if (!waitFor(() => readNumber(pidFile) !== undefined, startWaitMs)) {
			throw new Error(`Job for ${service.name} failed: PIDFile=${pidFile} did not appear within ${startWaitMs} ms`);
		}
		writeFileSync(paths.mainPid, String(readNumber(pidFile)));
		return;
	}
	writeSync(run.output, `--- ExecStart=${command.text}\n`);
	// The same node and loader as this stand-in run the on-exit half (restart.ts), once the main process ends.
	const onExit = [process.execPath, ...process.execArgv, restartScript, service.name].map(shellWord).join(' ');
	writeFileSync(paths.onExit, `exec ${onExit}\n`);
	const child = spawn('/bin/sh', [supervisor, paths.directory, ...argv(run, command, false)], {
		detached: true,
		env: run.variables,
		cwd: service.workingDirectory ?? '/',
		stdio: ['ignore', run.output, run.output],
	});
	child.unref();
	writeFileSync(paths.group, String(child.pid));
	if (!waitFor(() => readNumber(paths.mainPid) !== undefined, startWaitMs)) {
		throw new Error(`Job for ${service.name} failed: the main process did not start within ${startWaitMs} ms`);
	}
	if (service.type === 'notify') waitFor(() => existsSync(paths.exitStatus), notifySettleMs);
	if (existsSync(paths.exitStatus)) {
		throw new Error(
			`Job for ${service.name} failed because the main process exited with status ${readNumber(paths.exitStatus)}. See "systemctl status ${service.name}" (output in ${paths.output}).`,
		);
	}
}

/** Sends SIGTERM the way KillMode= says, waits (bounded), then SIGKILLs whatever is left of the process group. */
function stopProcesses(service: Service): void {
	const paths = files(service.name);
	const mainPid = readNumber(paths.mainPid);
	const group = readNumber(paths.group);
	const everything = service.killMode === 'control-group' && group !== undefined;
	if (everything) signal(-group, 'SIGTERM');
	else if (mainPid !== undefined) signal(mainPid, 'SIGTERM');
	if (mainPid !== undefined) waitFor(() => !isAlive(mainPid), stopWaitMs);
	if (group !== undefined && service.killMode !== 'process') signal(-group, 'SIGKILL');
	if (mainPid !== undefined && isAlive(mainPid)) signal(mainPid, 'SIGKILL');
}

export function stop(unit: LoadedUnit): void {
	const {service} = unit;
	checkLoadedDefinition(unit, false);
	const paths = files(service.name);
	mkdirSync(paths.directory, {recursive: true});
	writeFileSync(paths.stopping, '');
	const {mainPid} = status(service);
	if (mainPid !== 0 && service.execStop.length > 0) {
		const run = prepare(service, mainPid);
		try {
			for (const command of service.execStop) runCommand(run, 'ExecStop', command);
		} finally {
			closeSync(run.output);
		}
	}
	stopProcesses(service);
	// The supervisor is the stand-in's, not the service's: a stop also cancels a restart it may be waiting to do.
	const supervisorPid = readNumber(paths.group);
	if (supervisorPid !== undefined) signal(supervisorPid, 'SIGKILL');
	const stateFiles = [paths.mainPid, paths.group, paths.exitStatus, paths.remainActive, paths.conditionFailed];
	for (const path of [...stateFiles, paths.autoRestart, paths.stopping]) rmSync(path, {force: true});
	forgetLoadedDefinition(service.name);
}

export function reload(unit: LoadedUnit): void {
	const {service} = unit;
	const {state, mainPid} = status(service);
	if (service.execReload.length === 0) {
		throw new Error(`Failed to reload ${service.name}: Job type reload is not applicable for unit ${service.name}.`);
	}
	if (state !== 'active') throw new Error(`${service.name} is not active, cannot reload.`);
	checkLoadedDefinition(unit, true);
	const run = prepare(service, mainPid);
	try {
		for (const command of service.execReload) runCommand(run, 'ExecReload', command);
	} finally {
		closeSync(run.output);
	}
}
