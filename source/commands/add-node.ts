import {readFile, stat} from 'node:fs/promises';
import {createTwoFilesPatch} from 'diff';
import {etcdHealthCommand} from '../../steps/scripts/etcd.ts';
import {installCluster} from '../install/install.ts';
import {previousSuffix, writeFileAtomic} from '../io/atomic-write.ts';
import {ensureSecretsFile} from '../io/secrets-file.ts';
import {readSpecFile} from '../io/spec-file.ts';
import {readTemplates} from '../io/templates.ts';
import {UserError} from '../io/user-error.ts';
import type {Shell} from '../runner/shell.ts';
import type {SessionDependencies} from '../session/dependencies.ts';
import {formatFinding, formatFindings} from '../session/format-findings.ts';
import {exitCodes} from '../session/operation.ts';
import type {CommandOutput} from '../session/output.ts';
import {openSession, type SessionOptions} from '../session/session.ts';
import {addNodeToSpecText, type NodeToAdd} from '../spec/add-node.ts';
import {type ClusterSpec, etcdMembers} from '../spec/cluster.ts';
import {hasErrors} from '../spec/finding.ts';
import {type NodeRole, nodeRoles} from '../spec/schema.ts';

export type AddNodeOptions = SessionOptions & {
	readonly name: string;
	readonly address: string;
	/** `--role`, repeatable. */
	readonly role: readonly string[];
	readonly priority?: string;
	readonly overwriteDrift?: boolean;
	readonly dryRun?: boolean;
};

/**
`kubeha add-node`: the spec with one more node (comments and layout kept), checked, shown with what it changes on
every host, confirmed, written (the previous version kept), then applied: the steps leave what is in place alone,
so only the new node and what must know of it (haproxy backends, keepalived peers, join credentials) change.
*/
export async function addNodeCommand(
	options: AddNodeOptions,
	output: CommandOutput,
	dependencies: SessionDependencies,
): Promise<number> {
	const node = nodeOf(options);
	const session = openSession(options, output, dependencies);
	const {text} = await readSpecFile(options.config);
	const result = addNodeToSpecText(text, node);
	if (!result.ok) {
		output.err(formatFindings(result.findings, options.config));
		throw new UserError(`kubeha did not add ${node.name}; ${options.config} is unchanged.`, 1);
	}

	const edited = `${options.config} with ${node.name}`;
	output.out(createTwoFilesPatch(options.config, options.config, text, result.text, 'now', `with ${node.name}`));
	for (const note of result.notes) {
		output.out(note);
	}

	if (result.findings.length > 0) {
		output.err(formatFindings(result.findings, edited));
	}

	if (hasErrors(result.findings)) {
		throw new UserError(
			`kubeha did not add ${node.name}: the spec would not be valid (the errors above). ${options.config} is unchanged.`,
			1,
		);
	}

	if (result.weaker.length > 0) {
		output.err(
			[
				`adding ${node.name} makes the cluster weaker in these ways:`,
				...result.weaker.map((finding) => formatFinding(finding, edited)),
			].join('\n'),
		);
	}

	const {spec} = result;
	const secretsFile = await ensureSecretsFile(options.config, spec);
	const request = {
		spec,
		secrets: secretsFile.secrets,
		templates: await readTemplates(),
		format: 'text',
		concurrency: undefined,
		dryRun: options.dryRun,
		overwriteDrift: options.overwriteDrift,
	} as const;
	const code = await installCluster(session, request, {
		...(joinsExternalEtcd(spec, node)
			? {connected: (shell) => requireHealthyEtcd(spec, node, options.config, shell)}
			: {}),
		question: `Add ${node.name} to ${options.config} and apply cluster ${spec.name} to its ${spec.nodes.length} nodes${result.weaker.length > 0 ? ', weaker as said above' : ''}?`,
		confirmed: () => writeSpec(options.config, text, result.text),
	});
	if (code === exitCodes.done && !options.dryRun) {
		output.out(
			`${node.name} is part of cluster ${spec.name}; the previous ${options.config} is ${options.config}${previousSuffix}.`,
		);
	}

	return code;
}

const joinsExternalEtcd = (spec: ClusterSpec, node: NodeToAdd): boolean =>
	spec.etcd.topology === 'external' && node.roles.includes('etcd');

/**
A member joins only an etcd cluster whose members are all healthy. Until the new member has started, the cluster
counts it towards its quorum without its vote: with a member down too, etcd refuses the `member add` ("unhealthy
cluster") or, were it allowed, would stop at the next failure. Asked of each member on its host, before anything
is shown, asked or changed.
*/
async function requireHealthyEtcd(spec: ClusterSpec, node: NodeToAdd, config: string, shell: Shell): Promise<void> {
	const members = etcdMembers(spec).filter((member) => member.name !== node.name);
	const problems = await Promise.all(
		members.map(async (member) => {
			try {
				const health = await shell.run(member, etcdHealthCommand(member), {nothrow: true});
				return health.exitCode === 0 ? [] : [`${member.name} (${lastLine(health.stderr || health.stdout)})`];
			} catch (error) {
				return [`${member.name} (${(error as Error).message})`];
			}
		}),
	);
	const unhealthy = problems.flat();
	if (unhealthy.length > 0) {
		throw new UserError(
			`kubeha did not add ${node.name}: etcd takes a new member only while all its members are healthy, and ${unhealthy.join(', ')} ${unhealthy.length === 1 ? 'is' : 'are'} not. Bring ${unhealthy.length === 1 ? 'it' : 'them'} back first (\`systemctl status etcd\` and \`journalctl -u etcd\` on the member; \`kubeha status\` shows the cluster), then run kubeha add-node again. ${config} is unchanged.`,
			1,
		);
	}
}

const lastLine = (text: string): string => text.trim().split('\n').at(-1) || 'no answer';

/** The node from the flags, each checked: a mistake names the flag, the value and what it takes. */
function nodeOf(options: AddNodeOptions): NodeToAdd {
	const unknown = options.role.filter((role) => !(nodeRoles as readonly string[]).includes(role));
	if (unknown.length > 0) {
		throw new UserError(
			`--role ${unknown.map((role) => JSON.stringify(role)).join(', ')} is not a role: use ${nodeRoles.join(', ')} (repeat --role for several).`,
		);
	}

	if (options.role.length === 0) {
		throw new UserError(`--role is missing: say what ${options.name} runs (${nodeRoles.join(', ')}; repeatable).`);
	}

	const priority = options.priority === undefined ? undefined : Number(options.priority);
	if (priority !== undefined && !Number.isInteger(priority)) {
		throw new UserError(
			`--priority ${JSON.stringify(options.priority)} is not a whole number: keepalived priorities are 1 to 254 (leave it out and kubeha picks one below every other load-balancer node).`,
		);
	}

	return {
		name: options.name,
		address: options.address,
		roles: [...new Set(options.role as NodeRole[])],
		...(priority === undefined ? {} : {priority}),
	};
}

/** Writes the new spec over the one read at the start, unless someone changed it meanwhile; keeps the previous. */
async function writeSpec(path: string, read: string, text: string): Promise<void> {
	if ((await readFile(path, 'utf8')) !== read) {
		throw new UserError(
			`${path} changed while kubeha was adding the node, so kubeha left it alone and changed nothing: run kubeha add-node again.`,
		);
	}

	await writeFileAtomic(path, text, (await stat(path)).mode & 0o777);
}
