// TEST FIXTURE, never shipped: the lab's stand-in for kubectl inside a lab host. It talks to the kube-apiserver
// stand-in with a kubeconfig's credentials, for the few reads and deletes a kubeadm install is checked with
// (see README.md in this directory). Anything else fails loudly with exit status 1.
import {existsSync} from 'node:fs';
import {homedir} from 'node:os';
import {join} from 'node:path';
import {stringify} from 'yaml';
import {KubeApiError, kubeJson, type Target} from './lib/kube-client.ts';
import {now} from './lib/kube-clock.ts';
import {isReady, type KubeObject} from './lib/kube-objects.ts';
import {type CommandLine, lastValue, parseCommandLine} from './lib/kubeadm-flags.ts';
import {KubeadmError, recordCall, runAsyncStandIn} from './lib/kubeadm-output.ts';
import {readKubeconfig} from './lib/kubeconfig.ts';
import {NotModelled} from './lib/not-modelled.ts';

type Kind = {path: (namespace: string) => string; namespaced: boolean};

const kinds: Record<string, Kind> = {
	nodes: {path: () => '/api/v1/nodes', namespaced: false},
	leases: {path: (namespace) => `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases`, namespaced: true},
};
const aliases: Record<string, string> = {node: 'nodes', no: 'nodes', lease: 'leases'};

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

function nodeRow(node: KubeObject): string[] {
	const roles = Object.keys(node.metadata.labels ?? {})
		.filter((label) => label.startsWith('node-role.kubernetes.io/'))
		.map((label) => label.slice('node-role.kubernetes.io/'.length));
	const version =
		(node['status'] as {nodeInfo?: {kubeletVersion?: string}} | undefined)?.nodeInfo?.kubeletVersion ?? '';
	return [
		node.metadata.name,
		isReady(node) ? 'Ready' : 'NotReady',
		roles.join(',') || '<none>',
		age(node.metadata.creationTimestamp),
		version,
	];
}

function leaseRow(lease: KubeObject): string[] {
	return [
		lease.metadata.name,
		(lease['spec'] as {holderIdentity?: string} | undefined)?.holderIdentity ?? '',
		age(lease.metadata.creationTimestamp),
	];
}

function print(kind: string, objects: KubeObject[], output: string | undefined, single: boolean): void {
	const [first] = objects;
	if (output === 'json')
		process.stdout.write(
			`${JSON.stringify(single ? first : {apiVersion: 'v1', kind: 'List', items: objects}, undefined, 4)}\n`,
		);
	else if (output === 'yaml')
		process.stdout.write(stringify(single ? first : {apiVersion: 'v1', kind: 'List', items: objects}));
	else if (output === 'name')
		process.stdout.write(
			objects
				.map((object) => `${kind === 'nodes' ? 'node' : 'lease.coordination.k8s.io'}/${object.metadata.name}\n`)
				.join(''),
		);
	else if (output === undefined) {
		const header = kind === 'nodes' ? ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'] : ['NAME', 'HOLDER', 'AGE'];
		if (objects.length === 0) process.stderr.write('No resources found\n');
		else process.stdout.write(`${table([header, ...objects.map(kind === 'nodes' ? nodeRow : leaseRow)])}\n`);
	} else throw new NotModelled(`-o ${output} (modelled: json, yaml, name, the default table)`);
}

function connection(line: CommandLine): Target {
	const path = lastValue(line, 'kubeconfig') ?? process.env['KUBECONFIG'] ?? join(homedir(), '.kube', 'config');
	if (!existsSync(path))
		throw new KubeadmError(
			'The connection to the server localhost:8080 was refused - did you specify the right host or port?',
		);
	return readKubeconfig(path);
}

async function run(line: CommandLine): Promise<number> {
	const [verb, kindName = '', name, ...rest] = line.positional;
	const target = connection(line);
	const raw = lastValue(line, 'raw');
	if (verb === 'get' && raw !== undefined) {
		const body = await kubeJson<unknown>(target, 'GET', raw).catch(async (error: unknown) => {
			if (error instanceof SyntaxError) return undefined;
			throw error;
		});
		process.stdout.write(body === undefined ? '' : `${JSON.stringify(body)}\n`);
		return 0;
	}
	const kindKey = aliases[kindName] ?? kindName;
	const kind = kinds[kindKey];
	if (kind === undefined || rest.length > 0)
		throw new NotModelled(`kubectl ${line.positional.join(' ')} (modelled: get/delete nodes, get leases, get --raw)`);
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
	throw new NotModelled(`kubectl ${verb ?? ''} ${kindName} (modelled: get/delete nodes, get leases, get --raw)`);
}

runAsyncStandIn('kubectl', async () => {
	const argv = process.argv.slice(2);
	recordCall('kubectl', argv);
	const line = parseCommandLine(argv, {
		values: ['kubeconfig', 'namespace', 'output', 'raw'],
		short: {n: 'namespace', o: 'output'},
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
