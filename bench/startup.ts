// How long the built kubeha takes to start: `--version`, `validate` of an example, and the wizard's first frame in a
// terminal (median of several runs each), beside the floors no change to kubeha can go below (node itself, a
// shell in tmux). Run after `npm run build`. The terminal is test/helpers/pty.ts, a test fixture: a bench may use one.
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {setTimeout as delay} from 'node:timers/promises';
import {repositoryRoot} from '../test/helpers/cli.ts';
import {TmuxTerminal} from '../test/helpers/pty.ts';
import {median} from './stats.ts';

const bin = join(repositoryRoot, 'bin/kubeha.js');
const commandRuns = 9;
const terminalRuns = 5;
/** The wizard's first screen in a directory without a cluster.yaml. */
const firstWizardText = 'Topology (1/8)';
const labelWidth = 52;

type ProcessTimes = {readonly wallMs: number; readonly cpuMs: number};

/**
Spawn to exit of `node <args>`, which must exit 0, and the CPU time it used (user + system, from bash's `time`):
on a machine busy with other work the wall time grows with the load, the CPU time much less.
*/
function processTimes(args: readonly string[]): ProcessTimes {
	const started = performance.now();
	const result = spawnSync('bash', ['-c', 'TIMEFORMAT="%3U %3S"; time "$@"', 'bash', process.execPath, ...args], {
		cwd: repositoryRoot,
		env: {...process.env, NO_COLOR: '1'},
		encoding: 'utf8',
	});
	const wallMs = performance.now() - started;
	if (result.status !== 0) {
		throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr.slice(0, 2000)}`);
	}

	const [user = Number.NaN, system = Number.NaN] = (result.stderr.trimEnd().split('\n').at(-1) ?? '')
		.split(' ')
		.map(Number);
	return {wallMs, cpuMs: (user + system) * 1000};
}

/**
Spawn of a new terminal running `command` to the first screen that shows `text`. Polls more often than
TmuxTerminal.waitFor (every 50 ms) so that the poll interval hardly adds to the figure.
*/
async function firstScreenMs(command: readonly string[], text: string): Promise<number> {
	const cwd = mkdtempSync(join(tmpdir(), 'kubeha-bench-startup-'));
	const started = performance.now();
	const terminal = TmuxTerminal.start({command, cwd});
	try {
		for (;;) {
			const screen = terminal.screen();
			if (screen.includes(text)) return performance.now() - started;
			// TmuxTerminal prints the exit code when the command ends: it ended without showing the text.
			if (screen.includes('exit code') || performance.now() - started > 60_000) {
				throw new Error(`${command.join(' ')} never showed "${text}"; the screen shows:\n${screen}`);
			}

			await delay(10);
		}
	} finally {
		terminal.kill();
		rmSync(cwd, {recursive: true, force: true});
	}
}

async function medianOf(runs: number, measure: () => Promise<number>): Promise<number> {
	const times: number[] = [];
	for (let run = 0; run < runs; run++) times.push(await measure());
	return median(times);
}

function processLine(label: string, args: readonly string[]): string {
	const runs = Array.from({length: commandRuns}, () => processTimes(args));
	const wallMs = median(runs.map((run) => run.wallMs));
	const cpuMs = median(runs.map((run) => run.cpuMs));
	return `  ${label.padEnd(labelWidth)} ${wallMs.toFixed(0).padStart(5)} ms wall, ${cpuMs.toFixed(0).padStart(5)} ms CPU`;
}

export async function benchStartup(): Promise<void> {
	if (!existsSync(join(repositoryRoot, 'distribution/source/cli.js'))) {
		console.log('kubeha start-up: skipped, kubeha is not built: run `npm run build` first');
		return;
	}

	const example = 'examples/three-control-planes.yaml';
	console.log(`kubeha start-up (the built binary, spawn to exit), median of ${commandRuns} runs:`);
	console.log(processLine("node -e '' (the floor)", ['-e', '']));
	console.log(processLine('kubeha --version', [bin, '--version']));
	console.log(processLine(`kubeha validate -c ${example}`, [bin, 'validate', '-c', example]));

	if (spawnSync('tmux', ['-V']).status !== 0) {
		console.log('  wizard first frame: skipped, tmux is not installed');
		return;
	}

	console.log(
		`kubeha in a terminal (tmux), spawn to the first screen that shows the text, median of ${terminalRuns} runs:`,
	);
	const floor = await medianOf(terminalRuns, () => firstScreenMs(['echo', 'started'], 'started'));
	console.log(`  ${"a shell's echo (the floor)".padEnd(labelWidth)} ${floor.toFixed(0).padStart(5)} ms wall`);
	// CI=true would make ink draw only the last frame.
	const wizard = await medianOf(terminalRuns, () =>
		firstScreenMs(['env', '-u', 'CI', process.execPath, bin], firstWizardText),
	);
	console.log(
		`  ${`the wizard's first screen ("${firstWizardText}")`.padEnd(labelWidth)} ${wizard.toFixed(0).padStart(5)} ms wall`,
	);
}
