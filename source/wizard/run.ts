import {basename, dirname, resolve} from 'node:path';
import {exportCommand} from '../commands/export.ts';
import {plainFrontEnd} from '../plain/run-plain.ts';
import {formatFindings} from '../session/format-findings.ts';
import type {CommandOutput} from '../session/output.ts';
import type {NodeToAdd} from '../spec/add-node.ts';
import {tuiFrontEnd} from '../ui/run-tui.tsx';
import {answersFrom, newAnswers, suggestedClusterName} from './answers.ts';
import {type Validate, validateDraft} from './findings.ts';
import type {CheckHost, Finished, FrontEnd, WizardServices} from './services.ts';
import {
	bundleCopy,
	type CurrentFile,
	defaultBundlePath,
	draftSaver,
	effectiveSpec,
	loadReview,
	openSpec,
} from './session-io.ts';
import {initialState} from './state.ts';
import {wizardSteps} from './steps/index.ts';

export type WizardOptions = {
	/** The cluster.yaml to open if it exists, and to save the answers to. */
	readonly configPath: string;
	readonly output: CommandOutput;
	/** Line-by-line questions instead of the full-screen TUI. */
	readonly plain?: boolean;
	readonly stdin?: NodeJS.ReadStream;
	readonly stdout?: NodeJS.WriteStream;
	readonly env?: NodeJS.ProcessEnv;
	/** Checks a host over SSH; without it the SSH screen says the check is not available yet. */
	readonly checkHost?: CheckHost;
	/** What a host has at a path now; by default the copy in the last exported bundle. */
	readonly currentFile?: CurrentFile;
	/** Writes the bundle; by default what `kubeha export -c FILE -o BUNDLE` does. Resolves to an exit code. */
	readonly exportBundle?: (configPath: string, bundlePath: string) => Promise<number>;
	/** Applies the spec to the hosts; absent until the runner exists, and the wizard says so. */
	readonly apply?: (configPath: string) => Promise<number>;
	/** Adds a node as `kubeha add-node` does (plan, questions, apply); without it the start screen cannot offer it. */
	readonly addNode?: (configPath: string, node: NodeToAdd) => Promise<number>;
	/** The findings of a draft; `kubeha validate`'s rules unless a test pins them. */
	readonly validate?: Validate;
	/** The front-end; by default the TUI, or the plain mode when asked for or when the terminal cannot host the TUI. */
	readonly frontEnd?: FrontEnd;
};

/** Exit code of an operator who quit: what a shell reports for Ctrl-C. */
export const quitExitCode = 130;

export const nonInteractiveHelp = (configPath: string): string =>
	[
		'kubeha: the wizard asks questions, and standard input is not a terminal.',
		'Without one, write the spec yourself (examples/ has five; `kubeha schema` prints its JSON Schema), then:',
		`  kubeha validate -c ${configPath}`,
		`  kubeha export -c ${configPath} -o ${defaultBundlePath(configPath)}`,
		'Run `kubeha` in a terminal for the wizard, or `kubeha --plain` for one question per line.',
	].join('\n');

/** Terminals that cannot host the TUI: no cursor addressing (TERM=dumb), or no raw mode for single keys. */
function needsPlain(stdin: NodeJS.ReadStream, stdout: NodeJS.WriteStream, {TERM: term}: NodeJS.ProcessEnv): boolean {
	return term === 'dumb' || typeof stdin.setRawMode !== 'function' || !stdout.isTTY;
}

async function finish({outcome, answers}: Finished, options: WizardOptions, bundlePath: string): Promise<number> {
	const {configPath, output} = options;
	switch (outcome.action) {
		case 'quit': {
			// The node being added is not in the draft: nothing keeps it.
			output.err(
				answers.intent === 'add-node'
					? `Stopped. No node was added to ${configPath}.`
					: `Stopped. Your answers are saved in ${configPath}; run kubeha to go on.`,
			);
			return quitExitCode;
		}

		case 'add-node': {
			if (!options.addNode) {
				output.err(
					`kubeha: adding a node is not available here; run kubeha add-node -c ${configPath} --name ${outcome.node.name} … instead.`,
				);
				return 2;
			}

			return options.addNode(configPath, outcome.node);
		}

		case 'save': {
			output.out(`Saved ${configPath}. Check it with \`kubeha validate -c ${configPath}\`.`);
			return 0;
		}

		case 'export': {
			const exportBundle =
				options.exportBundle ??
				(async (config: string, directory: string) => exportCommand({config, output: directory}, output));
			return exportBundle(configPath, bundlePath);
		}

		case 'apply': {
			if (!options.apply) {
				output.err('kubeha: apply is not available yet; export the bundle and apply it by hand (its README says how).');
				return 2;
			}

			return options.apply(configPath);
		}
	}
}

/**
`kubeha` with no command: walks the operator to a reviewed cluster.yaml, saving the answers as they go, and
resolves to the process exit code. Outside a terminal it explains how to work without one (exit 2).
*/
export async function runWizard(options: WizardOptions): Promise<number> {
	const {configPath, output} = options;
	const stdin = options.stdin ?? process.stdin;
	const stdout = options.stdout ?? process.stdout;
	const env = options.env ?? process.env;
	if (!stdin.isTTY) {
		output.err(nonInteractiveHelp(configPath));
		return 2;
	}

	const opened = await openSpec(configPath);
	if (opened.kind === 'unusable') {
		output.err(formatFindings(opened.findings, configPath));
		output.err(
			`kubeha: the wizard cannot read ${configPath}; fix the errors above, or move it away to start a new cluster.`,
		);
		return 1;
	}

	const bundlePath = defaultBundlePath(configPath);
	const file = opened.kind === 'opened' ? opened : undefined;
	const state = initialState({
		steps: wizardSteps(file),
		environment: {
			configPath,
			bundlePath,
			canApply: options.apply !== undefined,
			canCheckHosts: options.checkHost !== undefined,
			canAddNode: options.addNode !== undefined,
		},
		answers: file ? answersFrom(file.spec) : newAnswers(suggestedClusterName(basename(dirname(resolve(configPath))))),
		validate: options.validate ?? validateDraft,
	});
	const currentFile = options.currentFile ?? bundleCopy(bundlePath);
	const services: WizardServices = {
		save: draftSaver(configPath, file),
		review: async (answers) => loadReview(configPath, effectiveSpec(answers), currentFile),
		...(options.checkHost ? {checkHost: options.checkHost} : {}),
	};
	const frontEnd =
		options.frontEnd ??
		(options.plain || needsPlain(stdin, stdout, env)
			? plainFrontEnd({input: stdin, output: stdout})
			: tuiFrontEnd({stdin, stdout}));
	const finished = await frontEnd(state, services);
	await services.save(finished.answers);
	return finish(finished, options, bundlePath);
}
