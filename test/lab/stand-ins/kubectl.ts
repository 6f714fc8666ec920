// TEST FIXTURE, never shipped: the lab's stand-in for kubectl inside a lab host. It talks to the kube-apiserver
// stand-in with a kubeconfig's credentials, for the reads, waits and deletes a kubeadm install is checked with, and
// records what `apply` is given (see README.md in this directory). Anything else fails loudly with exit status 1.
import {appendFileSync, existsSync, mkdirSync, readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {join} from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {parseAllDocuments, stringify} from 'yaml';
import {KubeApiError, kubeJson, kubeRequest, type Target} from './lib/kube-client.ts';
import {now} from './lib/kube-clock.ts';
import {isReady, type KubeObject} from './lib/kube-objects.ts';
import {parseDuration} from './lib/kube-tokens.ts';
import {standInVersion} from './lib/kubeadm-config.ts';
import {type CommandLine, lastValue, parseCommandLine} from './lib/kubeadm-flags.ts';
import {KubeadmError, recordCall, runAsyncStandIn, runtimeDirectory} from './lib/kubeadm-output.ts';
import {readKubeconfig} from './lib/kubeconfig.ts';
import {jsonpath} from './lib/kubectl-jsonpath.ts';
import {NotModelled} from './lib/not-modelled.ts';

type Kind = {path: (namespace: string) => string; namespaced: boolean; nameOutput: string};

const kinds: Record<string, Kind> = {
	nodes: {path: () => '/api/v1/nodes', namespaced: false, nameOutput: 'node'},
	leases: {
		path: (namespace) => `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases`,
		namespaced: true,
		nameOutput: 'lease.coordination.k8s.io',
	},
	configmaps: {
		path: (namespace) => `/api/v1/namespaces/${namespace}/configmaps`,
		namespaced: true,
		nameOutput: 'configmap',
	},
};
const aliases: Record<string, string> = {
	node: 'nodes',
	no: 'nodes',
	lease: 'leases',
	configmap: 'configmaps',
	cm: 'configmaps',
};

/** Where `kubectl apply` keeps what it was given: the lab runs no pods, so manifests are only recorded. */
export const appliedManifests = `${runtimeDirectory}/applied.yaml`;

/** kubectl's HumanDuration, as in the AGE column. */
function age(since: string | undefined): string {
	const seconds = Math.floor((now().getTime() - new Date(since ?? 0).getTime()) / 1000);
	const minutes = Math.floor(seconds / 60);
	const hours = Math.floor(minutes / 60);
	if (seconds < 120) return `${Math.max(seconds, 0)}s`;
	if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
	if (minutes < 180) return `${minutes}m`;
	if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
	if (hours < 48) return `${hours}h`;
	return `${Math.floor(hours / 24)}d`;
}

/** Columns separated as kubectl's tabwriter does (padding 3). */
function table(rows: string[][]): string {
	const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
	return rows
		.map((row) =>
			row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd((widths[column] ?? 0) + 3))).join(''),
		)
		.join('\n');
}

function nodeRow(node: KubeObject, wide: boolean): string[] {
	const roles = Object.keys(node.metadata.labels ?? {})
		.filter((label) => label.startsWith('node-role.kubernetes.io/'))
		.map((label) => label.slice('node-role.kubernetes.io/'.length));
	const status = node['status'] as
		| {nodeInfo?: Record<string, string>; addresses?: Array<{type: string; address: string}>}
		| undefined;
	const info = status?.nodeInfo ?? {};
	const address = (type: string) => status?.addresses?.find((entry) => entry.type === type)?.address ?? '<none>';
	// A cordoned node (kubectl cordon, drain) shows as kubectl prints it.
	const unschedulable = (node['spec'] as {unschedulable?: boolean} | undefined)?.unschedulable === true;
	const columns = [
		node.metadata.name,
		`${isReady(node) ? 'Ready' : 'NotReady'}${unschedulable ? ',SchedulingDisabled' : ''}`,
		roles.join(',') || '<none>',
		age(node.metadata.creationTimestamp),
		info['kubeletVersion'] ?? '',
	];
	if (!wide) return columns;
	return [
		...columns,
		address('InternalIP'),
		address('ExternalIP'),
		info['osImage'] ?? '<unknown>',
		info['kernelVersion'] ?? '<unknown>',
		info['containerRuntimeVersion'] ?? '<unknown>',
	];
}

function leaseRow(lease: KubeObject): string[] {
	return [
		lease.metadata.name,
		(lease['spec'] as {holderIdentity?: string} | undefined)?.holderIdentity ?? '',
		age(lease.metadata.creationTimestamp),
	];
}

const nodeHeader = ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'];
const wideNodeHeader = [...nodeHeader, 'INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'];

function print(kind: string, objects: KubeObject[], output: string | undefined, single: boolean): void {
	const [first] = objects;
	const listOrSingle = single ? first : {apiVersion: 'v1', kind: 'List', items: objects};
	if (output === 'json') process.stdout.write(`${JSON.stringify(listOrSingle, undefined, 4)}\n`);
	else if (output === 'yaml') process.stdout.write(stringify(listOrSingle));
	else if (output?.startsWith('jsonpath='))
		process.stdout.write(jsonpath(output.slice('jsonpath='.length), listOrSingle));
	else if (output === 'name')
		process.stdout.write(objects.map((object) => `${kinds[kind]?.nameOutput}/${object.metadata.name}\n`).join(''));
	else if ((output === undefined || output === 'wide') && kind !== 'configmaps') {
		const wide = output === 'wide';
		if (wide && kind !== 'nodes') throw new NotModelled(`-o wide for ${kind} (modelled: nodes)`);
		const header = kind === 'nodes' ? (wide ? wideNodeHeader : nodeHeader) : ['NAME', 'HOLDER', 'AGE'];
		const row = kind === 'nodes' ? (node: KubeObject) => nodeRow(node, wide) : leaseRow;
		if (objects.length === 0) process.stderr.write('No resources found\n');
		else process.stdout.write(`${table([header, ...objects.map(row)])}\n`);
	} else
		throw new NotModelled(
			`-o ${output ?? '(table)'} for ${kind} (modelled: json, yaml, name, jsonpath={…}, tables of nodes and leases, wide for nodes)`,
		);
}

function connection(line: CommandLine): Target {
	const path = lastValue(line, 'kubeconfig') ?? process.env['KUBECONFIG'] ?? join(homedir(), '.kube', 'config');
	if (!existsSync(path))
		throw new KubeadmError(
			'The connection to the server localhost:8080 was refused - did you specify the right host or port?',
		);
	const server = lastValue(line, 'server');
	const timeout = lastValue(line, 'request-timeout');
	// kubectl takes a bare number as seconds; 0 means no timeout.
	const timeoutMs = timeout === undefined ? 0 : parseDuration(/^\d+$/.test(timeout) ? `${timeout}s` : timeout);
	return {
		...readKubeconfig(path),
		...(server === undefined ? {} : {server}),
		...(timeoutMs === 0 ? {} : {timeoutMs}),
	};
}

const listNodes = async (target: Target): Promise<KubeObject[]> =>
	(await kubeJson<{items: KubeObject[]}>(target, 'GET', '/api/v1/nodes')).items;

/** `kubectl wait --for=condition=Ready node --all --timeout=T`: polls until every node is Ready. */
async function waitForReadyNodes(target: Target, line: CommandLine): Promise<number> {
	const [, kindName, ...rest] = line.positional;
	const condition = lastValue(line, 'for');
	if (
		condition !== 'condition=Ready' ||
		aliases[kindName ?? ''] !== 'nodes' ||
		rest.length > 0 ||
		!line.booleans.has('all')
	)
		throw new NotModelled(
			`kubectl ${line.positional.join(' ')} --for=${condition ?? ''} (modelled: wait --for=condition=Ready node --all)`,
		);
	const timeout = lastValue(line, 'timeout') ?? '30s';
	const deadline = Date.now() + parseDuration(timeout);
	for (;;) {
		const nodes = await listNodes(target);
		if (nodes.length === 0) throw new KubeadmError('error: no matching resources found');
		const notReady = nodes.filter((node) => !isReady(node));
		if (notReady.length === 0) {
			process.stdout.write(nodes.map((node) => `node/${node.metadata.name} condition met\n`).join(''));
			return 0;
		}
		if (Date.now() >= deadline)
			throw new KubeadmError(`error: timed out waiting for the condition on nodes/${notReady[0]?.metadata.name}`);
		await delay(1000);
	}
}

/** `kubectl apply --server-side -f FILE`: the lab runs no workloads, so the objects are recorded, not created. */
async function applyServerSide(target: Target, line: CommandLine): Promise<number> {
	const file = lastValue(line, 'filename');
	if (!line.booleans.has('server-side') || file === undefined || line.positional.length > 1)
		throw new NotModelled(`kubectl ${line.positional.join(' ')} (modelled: apply --server-side -f FILE)`);
	const text = readFileSync(file, 'utf8');
	const objects = parseAllDocuments(text)
		.map((document) => document.toJS() as KubeObject | null)
		.filter((object): object is KubeObject => object !== null);
	// A real apply needs the API server; so does this one, to fail the same way when it is not there.
	await kubeJson(target, 'GET', '/version');
	mkdirSync(runtimeDirectory, {recursive: true});
	appendFileSync(appliedManifests, `# kubectl apply --server-side -f ${file}\n---\n${text}\n---\n`);
	for (const object of objects) {
		const group = object.apiVersion.includes('/') ? `.${object.apiVersion.split('/')[0]}` : '';
		process.stdout.write(`${object.kind.toLowerCase()}${group}/${object.metadata.name} serverside-applied\n`);
	}
	return 0;
}

/**
`kubectl drain NODE --ignore-daemonsets [--delete-emptydir-data] [--timeout=D] [--skip-wait-for-delete-timeout=N]`:
cordons the node (spec.unschedulable, as kubectl's PATCH sets it) and evicts its pods; the lab runs no pods, so
there is none to evict. Without --ignore-daemonsets the real command refuses every kubeadm node, which runs
kube-proxy's DaemonSet pod: not modelled.
*/
async function drain(target: Target, line: CommandLine): Promise<number> {
	const [, name, ...rest] = line.positional;
	if (name === undefined || rest.length > 0 || !line.booleans.has('ignore-daemonsets'))
		throw new NotModelled(
			`kubectl ${line.positional.join(' ')} (modelled: drain NODE --ignore-daemonsets [--delete-emptydir-data] [--timeout=D] [--skip-wait-for-delete-timeout=N]; without --ignore-daemonsets kubectl refuses a kubeadm node for its kube-proxy pod)`,
		);
	// Checked as kubectl checks them, though nothing here waits.
	parseDuration(lastValue(line, 'timeout') ?? '0s');
	const skipWait = lastValue(line, 'skip-wait-for-delete-timeout') ?? '0';
	if (!/^\d+$/.test(skipWait))
		throw new KubeadmError(`invalid argument "${skipWait}" for "--skip-wait-for-delete-timeout" flag`);
	const path = `/api/v1/nodes/${name}`;
	const node = await kubeJson<KubeObject>(target, 'GET', path);
	const spec = (node['spec'] ?? {}) as Record<string, unknown>;
	if (spec['unschedulable'] === true) {
		process.stdout.write(`node/${name} already cordoned\n`);
	} else {
		await kubeJson(target, 'PUT', path, {...node, spec: {...spec, unschedulable: true}});
		process.stdout.write(`node/${name} cordoned\n`);
	}
	process.stdout.write(`node/${name} drained\n`);
	return 0;
}

async function run(line: CommandLine): Promise<number> {
	const [verb, kindName = '', name, ...rest] = line.positional;
	if (verb === 'version') {
		if (!line.booleans.has('client') || line.positional.length > 1)
			throw new NotModelled('kubectl version without --client (modelled: version --client)');
		process.stdout.write(`Client Version: ${standInVersion}\nKustomize Version: v5.7.1\n`);
		return 0;
	}
	const target = connection(line);
	if (verb === 'wait') return waitForReadyNodes(target, line);
	if (verb === 'apply') return applyServerSide(target, line);
	if (verb === 'drain') return drain(target, line);
	const raw = lastValue(line, 'raw');
	if (verb === 'get' && raw !== undefined) {
		// kubectl prints the body as the server sent it.
		const response = await kubeRequest(target, 'GET', raw);
		if (response.status >= 300) {
			const status = JSON.parse(response.body) as {message?: string};
			throw new KubeApiError(response.status, status.message ?? response.body);
		}
		process.stdout.write(response.body);
		return 0;
	}
	const kindKey = aliases[kindName] ?? kindName;
	const kind = kinds[kindKey];
	if (kind === undefined || rest.length > 0)
		throw new NotModelled(
			`kubectl ${line.positional.join(' ')} (modelled: get/delete nodes, get leases and configmaps, get --raw, wait, drain, apply --server-side, version --client)`,
		);
	const namespace = lastValue(line, 'namespace') ?? 'default';
	const collection = kind.path(namespace);
	if (verb === 'get') {
		const objects =
			name === undefined
				? (await kubeJson<{items: KubeObject[]}>(target, 'GET', collection)).items
				: [await kubeJson<KubeObject>(target, 'GET', `${collection}/${name}`)];
		print(kindKey, objects, lastValue(line, 'output'), name !== undefined);
		return 0;
	}
	if (verb === 'delete' && kindKey === 'nodes' && name !== undefined) {
		await kubeJson(target, 'DELETE', `${collection}/${name}`);
		process.stdout.write(`node "${name}" deleted\n`);
		return 0;
	}
	throw new NotModelled(`kubectl ${verb ?? ''} ${kindName} (modelled: get/delete nodes, get leases and configmaps)`);
}

runAsyncStandIn('kubectl', async () => {
	const argv = process.argv.slice(2);
	recordCall('kubectl', argv);
	const line = parseCommandLine(argv, {
		booleans: ['all', 'server-side', 'client', 'ignore-daemonsets', 'delete-emptydir-data'],
		values: [
			'kubeconfig',
			'server',
			'request-timeout',
			'namespace',
			'output',
			'raw',
			'for',
			'timeout',
			'filename',
			'skip-wait-for-delete-timeout',
		],
		short: {n: 'namespace', o: 'output', f: 'filename'},
	});
	try {
		return await run(line);
	} catch (error) {
		if (!(error instanceof KubeApiError)) throw error;
		const reason =
			{401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 409: 'AlreadyExists'}[error.status] ?? 'InternalError';
		throw new KubeadmError(`Error from server (${reason}): ${error.message}`);
	}
});
