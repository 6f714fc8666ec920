import {mkdir, readFile, rm, stat} from 'node:fs/promises';
import {join} from 'node:path';
import {removalSteps} from '../../steps/remove/index.ts';
import {assessRemoval, unknownNodeFinding} from '../../steps/remove/safety.ts';
import {type Survey, surveyCluster} from '../../steps/remove/survey.ts';
import type {Removal} from '../../steps/remove/types.ts';
import type {Step} from '../../steps/types.ts';
import {writeFileAtomic} from '../io/atomic-write.ts';
import {UserError} from '../io/user-error.ts';
import type {RunEvent} from '../runner/events.ts';
import {openLogFile} from '../runner/log-file.ts';
import {type Redact, redactor} from '../runner/redact.ts';
import {runSteps} from '../runner/runner.ts';
import type {Shell} from '../runner/shell.ts';
import {type ConnectOptions, connectToNodes} from '../session/connect.ts';
import {formatEvent} from '../session/event-lines.ts';
import {formatFinding, formatFindings} from '../session/format-findings.ts';
import type {CommandOutput} from '../session/output.ts';
import {prepare} from '../session/prepare.ts';
import {parseSshOptions} from '../session/ssh-config.ts';
import type {ClusterSpec} from '../spec/cluster.ts';
import {etcdMembers, loadBalancerNodes} from '../spec/cluster.ts';
import type {Finding} from '../spec/finding.ts';
import {loadSpec} from '../spec/load.ts';
import {removeNodeFromSpecText} from '../spec/remove-node.ts';
import type {NodeSpec} from '../spec/schema.ts';
import {
	type ApplyDependencies,
	type ApplyOptions,
	applyCommand,
	processApplyDependencies,
	stateDirectoryFor,
} from './apply.ts';

export type RemoveNodeOptions = ConnectOptions & {
	readonly config: string;
	readonly name: string;
	readonly yes?: boolean;
};

/** The apply flow the removal ends with (a parameter so that tests can see the call). */
export type ApplyFlow = (
	options: ApplyOptions,
	output: CommandOutput,
	dependencies: ApplyDependencies,
) => Promise<number>;

/** Exit codes: the node is out, the removal failed or was refused at a host, or the operator stopped it. */
const exitCodes = {done: 0, failed: 1, aborted: 130} as const;

/**
`kubeha remove-node --name N`: refuses what would break the cluster; otherwise, once confirmed, drains the node,
resets it, takes its etcd member and load balancers out, deletes its Node, removes it from cluster.yaml, and
applies the spec so the other load-balancer nodes forget it. Each step skips what is done, so running the same
command again after a failure goes on; the spec is edited only once the node is out.
*/
export async function removeNodeCommand(
	options: RemoveNodeOptions,
	output: CommandOutput,
	dependencies: ApplyDependencies = processApplyDependencies(),
	apply: ApplyFlow = applyCommand,
): Promise<number> {
	parseSshOptions(options.sshOption ?? []);
	const {spec, specText, secretsFile} = await prepare(options.config, output);
	const stateDirectory = stateDirectoryFor(options.config);
	const node = spec.nodes.find((candidate) => candidate.name === options.name);
	if (node === undefined) {
		if ((await pendingRemoval(stateDirectory)) !== options.name) {
			throw refusal([unknownNodeFinding(spec, options.name)], options, output);
		}

		output.out(
			`${options.name} is out of the cluster and of ${options.config} already: an earlier kubeha remove-node stopped before its apply finished, which runs now.`,
		);
		return applyWithout(options.name, options, output, dependencies, apply, []);
	}

	const afterText = removeNodeFromSpecText(specText, node.name);
	const afterLoad = loadSpec(afterText);
	const after = afterLoad.spec;
	if (after === undefined) {
		throw new Error(
			`${options.config} without ${node.name} lost the shape of a spec: ${JSON.stringify(afterLoad.findings)}`,
		);
	}

	// The removal's own checks first, in its own words; then the spec's rules catch anything else it would break.
	refuseErrors(assessRemoval({before: spec, after, name: node.name}), options, output);
	refuseInvalid(afterLoad.findings, options, output);
	if (!options.yes && !dependencies.interactive) {
		throw new UserError(
			`kubeha remove-node changes the nodes of ${spec.name}; confirm it in a terminal, or pass --yes.`,
		);
	}

	await mkdir(stateDirectory, {recursive: true, mode: 0o700});
	const shell = await connectToNodes({spec, options, stateDirectory, dependencies, output});
	const warnings: string[] = [];
	let status: keyof typeof exitCodes;
	try {
		const survey = await surveyCluster(spec, node, shell);
		const findings = assessRemoval({before: spec, after, name: node.name, observed: survey.observed});
		refuseErrors(findings, options, output);
		const removal = removalOf(spec, node, survey, shell, (text) => warnings.push(text));
		const steps = removalSteps(spec, removal);
		output.out(removalPlan(spec, removal, steps, options.config));
		for (const finding of findings) {
			output.err(formatFinding(finding, options.config));
		}

		if (!removal.reachable) {
			output.err(
				`warning ${node.name} does not answer over ssh (${survey.unreachable.get(node.name)}): kubeha drains it and takes it out of the cluster from the other nodes; what would run on ${node.name} is skipped, and you are told what to run there by hand.`,
			);
		}

		if (!options.yes && !(await dependencies.confirm(`Remove ${node.name} from cluster ${spec.name}?`))) {
			output.out('nothing was changed.');
			return exitCodes.failed;
		}

		status = await runRemoval(steps, spec, shell, redactor(secretsFile.secrets), stateDirectory, dependencies, output);
	} finally {
		await shell.close();
	}

	if (status !== 'done') {
		output.out(
			`kubeha remove-node ${status === 'failed' ? 'failed' : 'stopped'}; ${node.name} is still in ${options.config}. ${status === 'failed' ? 'Fix the cause, then' : 'When ready,'} run the same command again: it goes on where it stopped.`,
		);
		return exitCodes[status];
	}

	// Recorded first: should kubeha stop between the two writes, the next run still knows the edit was its own.
	await writeFileAtomic(pendingPath(stateDirectory), `${JSON.stringify({node: node.name})}\n`, 0o600);
	await writeFileAtomic(options.config, afterText, (await stat(options.config)).mode & 0o777);
	output.out(
		`${node.name} is out of the cluster; ${options.config} no longer lists it (the previous version is ${options.config}.previous). Now kubeha apply brings the other nodes in line with it.`,
	);
	return applyWithout(node.name, options, output, dependencies, apply, warnings);
}

/** The spec without the node must still be valid. */
function refuseInvalid(findings: readonly Finding[], options: RemoveNodeOptions, output: CommandOutput): void {
	const errors = findings.filter((finding) => finding.severity === 'error');
	if (errors.length > 0) {
		output.err(formatFindings(errors, `${options.config} without ${options.name}`));
		throw new UserError(
			`kubeha did not remove ${options.name}: ${options.config} without it would not be valid (above).`,
			1,
		);
	}
}

/** Stops on any error among the findings, printing them all. */
function refuseErrors(findings: readonly Finding[], options: RemoveNodeOptions, output: CommandOutput): void {
	if (findings.some((finding) => finding.severity === 'error')) {
		throw refusal(findings, options, output);
	}
}

function refusal(findings: readonly Finding[], options: RemoveNodeOptions, output: CommandOutput): UserError {
	for (const finding of findings) {
		output.err(formatFinding(finding, options.config));
	}

	return new UserError(`kubeha did not remove ${options.name} and changed nothing (above: why, and what to do).`, 1);
}

/** The removal as the steps see it, once the survey found a surviving control plane (and etcd member) to work from. */
function removalOf(
	spec: ClusterSpec,
	node: NodeSpec,
	survey: Survey,
	shell: Shell,
	warn: (text: string) => void,
): Removal {
	const {controlPlane, etcdPeer, unreachable} = survey;
	const unanswered = [...unreachable].map(([name, reason]) => `${name} (${reason})`).join(', ');
	if (controlPlane === undefined) {
		throw new UserError(
			`no control plane other than ${node.name} answers over ssh (${unanswered}), and kubeha drains and deletes the node from one: check ssh to the control planes (addresses, ssh.user, ssh.identityFile), then run the command again. Nothing was changed.`,
			1,
		);
	}

	const externalMember = spec.etcd.topology === 'external' && etcdMembers(spec).some((m) => m.name === node.name);
	if (externalMember && etcdPeer === undefined) {
		throw new UserError(
			`no etcd member other than ${node.name} answers over ssh (${unanswered}), and kubeha removes ${node.name}'s member with etcdctl from one: check ssh to the etcd nodes, then run the command again. Nothing was changed.`,
			1,
		);
	}

	return {node, reachable: !unreachable.has(node.name), controlPlane, etcdPeer, shell, warn};
}

/** What the removal will do, before the question: each step, its hosts and its lines; then the spec edit and apply. */
function removalPlan(spec: ClusterSpec, removal: Removal, steps: readonly Step[], config: string): string {
	const {node} = removal;
	const balancers = loadBalancerNodes(spec).filter((candidate) => candidate.name !== node.name);
	return [
		`kubeha removes ${node.name} (${node.roles.join(', ')}, ${node.address}) from cluster ${spec.name}:`,
		...steps.flatMap((step, index) =>
			step
				.hosts(spec)
				.flatMap((host) => [
					`${String(index + 1).padStart(3)}. ${step.id} on ${host.name}`,
					...step.dryRun({host, spec, files: []}).map((line) => `       ${line}`),
				]),
		),
		`  then ${config} without ${node.name} (the previous version kept), and kubeha apply${balancers.length > 0 && spec.loadBalancer.mode === 'keepalived-haproxy' ? `: haproxy (reloaded) and keepalived on ${balancers.map((b) => b.name).join(', ')} forget ${node.name}` : ''}.`,
		'each step checks first and skips what is already done, so the same command goes on after a failure.',
	].join('\n');
}

/** Runs the removal steps, printing their events as text lines and logging them beside the spec. */
async function runRemoval(
	steps: readonly Step[],
	spec: ClusterSpec,
	shell: Shell,
	redact: Redact,
	stateDirectory: string,
	dependencies: ApplyDependencies,
	output: CommandOutput,
): Promise<keyof typeof exitCodes> {
	const log = await openLogFile(join(stateDirectory, 'logs'), new Date(dependencies.now()), redact);
	const stop = new AbortController();
	// Every step can be run again, so Ctrl-C stops at once, without asking.
	const stopListening = dependencies.onInterrupt(() => stop.abort(new Error('stopped by Ctrl-C')));
	try {
		const {status} = await runSteps({
			steps,
			spec,
			files: [],
			shell,
			redact,
			onEvent(event: RunEvent) {
				log.onEvent(event);
				// The plan said what runs; the end is said below in the removal's own words, not apply's.
				const line =
					event.kind === 'run-start' || event.kind === 'run-end' ? undefined : formatEvent(event, {format: 'text'});
				if (line !== undefined) {
					output.out(line);
				}
			},
			signal: stop.signal,
			now: dependencies.now,
		});
		output.out(`removal steps ${status}; the log of this run: ${log.path}`);
		return status;
	} finally {
		stopListening();
		await log.close();
	}
}

/** The apply that ends a removal, and what the operator must still do by hand. */
async function applyWithout(
	name: string,
	options: RemoveNodeOptions,
	output: CommandOutput,
	dependencies: ApplyDependencies,
	apply: ApplyFlow,
	warnings: readonly string[],
): Promise<number> {
	const code = await apply(
		{
			config: options.config,
			yes: true,
			...(options.acceptNewHostKeys === undefined ? {} : {acceptNewHostKeys: options.acceptNewHostKeys}),
			...(options.sshOption === undefined ? {} : {sshOption: options.sshOption}),
		},
		output,
		dependencies,
	);
	if (code === exitCodes.done) {
		await rm(pendingPath(stateDirectoryFor(options.config)), {force: true});
	} else {
		output.out(
			`${name} is out of the cluster, but the apply after it did not finish, so other nodes may still name it (haproxy, keepalived): fix the cause, then run \`kubeha remove-node -c ${options.config} --name ${name}\` again.`,
		);
	}

	for (const warning of warnings) {
		output.err(`warning ${warning}`);
	}

	return code;
}

/** The record of a removal whose spec edit is done and whose apply is not yet. */
const pendingPath = (stateDirectory: string): string => join(stateDirectory, 'remove-node.json');

async function pendingRemoval(stateDirectory: string): Promise<string | undefined> {
	try {
		const record = JSON.parse(await readFile(pendingPath(stateDirectory), 'utf8')) as {node?: unknown};
		return typeof record.node === 'string' ? record.node : undefined;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) {
			return undefined;
		}

		throw error;
	}
}
