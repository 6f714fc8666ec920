import {stat} from 'node:fs/promises';
import {removalSteps} from '../../steps/remove/index.ts';
import {assessRemoval, unknownNodeFinding} from '../../steps/remove/safety.ts';
import {surveyCluster} from '../../steps/remove/survey.ts';
import type {ApplyFlow} from '../install/install.ts';
import {clearPendingRemoval, pendingRemoval, recordPendingRemoval} from '../install/pending-removal.ts';
import {writeFileAtomic} from '../io/atomic-write.ts';
import {UserError} from '../io/user-error.ts';
import {removalOf, removalPlan} from '../plan/removal-plan.ts';
import {redactor} from '../runner/redact.ts';
import type {SessionDependencies} from '../session/dependencies.ts';
import {formatEvent} from '../session/event-lines.ts';
import {formatFinding, formatFindings} from '../session/format-findings.ts';
import {agreed, requireConsent} from '../session/gate.ts';
import {exitCodes, runOperation} from '../session/operation.ts';
import type {CommandOutput} from '../session/output.ts';
import {prepare} from '../session/prepare.ts';
import {openSession, type Session, type SessionOptions} from '../session/session.ts';
import type {Finding} from '../spec/finding.ts';
import {loadSpec} from '../spec/load.ts';
import {removeNodeFromSpecText} from '../spec/remove-node.ts';

export type RemoveNodeOptions = SessionOptions & {
	readonly name: string;
	/** Skip the removal steps an interrupted run finished (its journal), and resume the apply after them. */
	readonly resume?: boolean;
};

/**
`kubeha remove-node --name N`: refuses what would break the cluster; otherwise, once confirmed, drains the node,
resets it, takes its etcd member and load balancers out, deletes its Node, removes it from cluster.yaml, and
applies the spec so the other load-balancer nodes forget it. Each step skips what is done, so running the same
command again after a failure goes on (--resume also skips what the journal holds); the spec is edited only once
the node is out.
*/
export async function removeNodeCommand(
	options: RemoveNodeOptions,
	output: CommandOutput,
	dependencies: SessionDependencies,
	apply: ApplyFlow,
): Promise<number> {
	const session = openSession(options, output, dependencies);
	const {spec, specText, secretsFile} = await prepare(options.config, output);
	const node = spec.nodes.find((candidate) => candidate.name === options.name);
	if (node === undefined) {
		if ((await pendingRemoval(session.stateDirectory)) !== options.name) {
			throw refusal([unknownNodeFinding(spec, options.name)], options, output);
		}

		output.out(
			`${options.name} is out of the cluster and of ${options.config} already: an earlier kubeha remove-node stopped before its apply finished, which runs now.`,
		);
		return applyWithout(session, options, apply, []);
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
	requireConsent(session, `kubeha remove-node changes the nodes of ${spec.name}`);
	const warnings: string[] = [];
	const status = await session.withShell(spec, async (shell) => {
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

		if (!(await agreed(session, `Remove ${node.name} from cluster ${spec.name}?`))) {
			return undefined;
		}

		const run = await runOperation(session, {
			name: 'remove-node',
			what: 'the removal',
			steps,
			spec,
			files: [],
			shell,
			redact: redactor(secretsFile.secrets),
			resume: options.resume === true,
			resumeCommand: `kubeha remove-node -c ${options.config} --name ${node.name} --resume`,
			live: false,
			// The plan said what runs; the end is said below in the removal's own words, not apply's.
			print(event) {
				const line =
					event.kind === 'run-start' || event.kind === 'run-end' ? undefined : formatEvent(event, {format: 'text'});
				if (line !== undefined) {
					output.out(line);
				}
			},
		});
		output.out(`removal steps ${run.status}; the log of this run: ${run.logPath}`);
		return run.status;
	});
	if (status === undefined) {
		return exitCodes.failed;
	}

	if (status !== 'done') {
		output.out(
			`kubeha remove-node ${status === 'failed' ? 'failed' : 'stopped'}; ${node.name} is still in ${options.config}. ${status === 'failed' ? 'Fix the cause, then' : 'When ready,'} run the same command again: it goes on where it stopped (with --resume, the steps it finished are skipped).`,
		);
		return exitCodes[status];
	}

	await recordPendingRemoval(session.stateDirectory, node.name);
	await writeFileAtomic(options.config, afterText, (await stat(options.config)).mode & 0o777);
	output.out(
		`${node.name} is out of the cluster; ${options.config} no longer lists it (the previous version is ${options.config}.previous). Now kubeha apply brings the other nodes in line with it.`,
	);
	return applyWithout(session, options, apply, warnings);
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

/** The apply that ends a removal, and what the operator must still do by hand. */
async function applyWithout(
	session: Session,
	options: RemoveNodeOptions,
	apply: ApplyFlow,
	warnings: readonly string[],
): Promise<number> {
	const {output} = session;
	const code = await apply(
		{
			config: options.config,
			yes: true,
			...(options.resume ? {resume: true} : {}),
			...(options.acceptNewHostKeys === undefined ? {} : {acceptNewHostKeys: options.acceptNewHostKeys}),
			...(options.sshOption === undefined ? {} : {sshOption: options.sshOption}),
		},
		output,
		session.dependencies,
	);
	if (code === exitCodes.done) {
		await clearPendingRemoval(session.stateDirectory);
	} else {
		output.out(
			`${options.name} is out of the cluster, but the apply after it did not finish, so other nodes may still name it (haproxy, keepalived): fix the cause, then run \`kubeha remove-node -c ${options.config} --name ${options.name}\` again.`,
		);
	}

	for (const warning of warnings) {
		output.err(`warning ${warning}`);
	}

	return code;
}
