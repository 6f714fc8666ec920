// TEST FIXTURE, never shipped: the lab's stand-in for kube-apiserver (with the parts of kube-controller-manager and
// kube-scheduler whose effects show in the API). kubeadm's stand-in starts it on each control plane in place of the
// static pod. It serves TLS with the node's apiserver certificate on advertise-address:secure-port, authenticates
// client certificates of the cluster CA and bootstrap tokens, and replicates its store to the other control planes'
// stand-ins (see kube-store.ts and README.md). Flags are kube-apiserver's, plus --lab-* for what only it needs.
// It also plays the kubelet's part for its own static pod: it stops serving while its manifest is out of
// /etc/kubernetes/manifests and serves again when the manifest is back, and when the manifest changes it makes way
// for a new process with the manifest's flags (see "The kubelet's part" below).
import {randomUUID, X509Certificate} from 'node:crypto';
import {once} from 'node:events';
import {existsSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {createServer, type Server} from 'node:https';
import {hostname} from 'node:os';
import {join} from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import type {TLSSocket} from 'node:tls';
import {
	type ApiContext,
	anonymousUser,
	authenticateToken,
	electLeaders,
	etcdClientGroup,
	type Peer,
	peers,
	removeMasterLease,
	renewMasterLease,
	serveRequest,
	type User,
} from './kube-apiserver-api.ts';
import {spawnApiserver} from './kube-apiserver-process.ts';
import {kubeRequest} from './kube-client.ts';
import {now} from './kube-clock.ts';
import {statusObject} from './kube-objects.ts';
import {issuerOf, readCsr, signLeaf} from './kube-pki.ts';
import {emptyStore, merge, type Store} from './kube-store.ts';
import {manifestsDirectory} from './kubeadm-files.ts';
import {restartFlags} from './kubelet-static-pod.ts';

const requiredFlags = [
	'advertise-address',
	'bind-address',
	'secure-port',
	'tls-cert-file',
	'tls-private-key-file',
	'client-ca-file',
	'etcd-cafile',
	'etcd-certfile',
	'etcd-keyfile',
	'cluster-signing-cert-file',
	'cluster-signing-key-file',
	'lab-state-file',
	'lab-version',
] as const;
/** Every flag the process was started with, by name; the required ones are there. */
function parseFlags(argv: readonly string[]): Record<string, string> {
	const flags: Record<string, string> = {};
	for (const argument of argv) {
		const match = /^--([a-z-]+)=(.*)$/.exec(argument);
		if (match === null) throw new Error(`kube-apiserver stand-in: flag "${argument}" is not --name=value`);
		flags[match[1] ?? ''] = match[2] ?? '';
	}
	const missing = requiredFlags.filter((name) => flags[name] === undefined);
	if (missing.length > 0)
		throw new Error(`kube-apiserver stand-in: missing flags ${missing.map((name) => `--${name}`).join(' ')}`);
	return flags;
}

const flags = parseFlags(process.argv.slice(2));
const flag = (name: (typeof requiredFlags)[number]): string => flags[name] ?? '';
const read = (path: string): string => readFileSync(path, 'utf8');

const stateFile = flag('lab-state-file');
const self: Peer = {address: flag('advertise-address'), port: Number(flag('secure-port'))};
const clusterCa = read(flag('client-ca-file'));
const etcdCa = read(flag('etcd-cafile'));
const caFingerprints = {
	cluster: new X509Certificate(clusterCa).fingerprint256,
	etcd: new X509Certificate(etcdCa).fingerprint256,
};
/** How this apiserver reaches the others: as an etcd client (etcd's job in a real cluster), trusting the cluster CA. */
const peerCredentials = {
	ca: clusterCa,
	cert: read(flag('etcd-certfile')),
	key: read(flag('etcd-keyfile')),
	timeoutMs: 1000,
};

function log(line: string): void {
	process.stderr.write(`${new Date().toISOString()} ${line}\n`);
}

const signingIssuer = issuerOf({
	cert: read(flag('cluster-signing-cert-file')),
	key: read(flag('cluster-signing-key-file')),
});

const context: ApiContext = {
	store: existsSync(stateFile) ? (JSON.parse(read(stateFile)) as Store) : emptyStore(),
	origin: hostname(),
	now,
	log,
	async signKubeletCsr(pem) {
		const request = await readCsr(pem);
		const valid = request?.commonName.startsWith('system:node:') && request.organizations.join() === 'system:nodes';
		if (request === undefined || !valid) return undefined;
		return signLeaf(
			await signingIssuer,
			{commonName: request.commonName, organizations: request.organizations, usages: ['clientAuth']},
			request.publicKey,
		);
	},
};

function persist(): void {
	writeFileSync(`${stateFile}.tmp`, JSON.stringify(context.store));
	renameSync(`${stateFile}.tmp`, stateFile);
}

/** Whether the last exchange with each apiserver worked, to log only when that changes. */
const reachable = new Map<string, boolean>();

function noteReachable(server: string, ok: boolean, why = ''): boolean {
	if (reachable.get(server) !== ok) log(`replication with ${server} ${ok ? 'works' : `fails: ${why}`}`);
	reachable.set(server, ok);
	return ok;
}

/** Exchanges stores with one apiserver (POST = merge both ways); false when it does not answer. */
async function syncWith(server: string, retryMs = 0): Promise<boolean> {
	try {
		const response = await kubeRequest({server, ...peerCredentials, retryMs}, 'POST', '/lab/v1/store', context.store);
		if (response.status !== 200) return noteReachable(server, false, `${response.status} ${response.body}`);
		if (merge(context.store, JSON.parse(response.body) as Store)) persist();
		return noteReachable(server, true);
	} catch (error) {
		return noteReachable(server, false, (error as Error).message);
	}
}

/** Pushes to every other known apiserver; one that is down catches up when it comes back (it syncs on start). */
async function replicate(): Promise<void> {
	const others = peers(context).filter((peer) => peer.address !== self.address || peer.port !== self.port);
	await Promise.all(others.map((peer) => syncWith(`https://${peer.address}:${peer.port}`)));
}

function userOf(socket: TLSSocket, authorization: string | undefined): User | undefined {
	const certificate = socket.getPeerCertificate(true);
	if (certificate !== null && Object.keys(certificate).length > 0) {
		if (!socket.authorized) return undefined;
		const organizations = ([] as string[]).concat(certificate.subject.O ?? []);
		const commonName = ([] as string[]).concat(certificate.subject.CN ?? [])[0] ?? '';
		const issuer = certificate.issuerCertificate?.fingerprint256;
		if (issuer === caFingerprints.etcd) return {name: commonName, groups: [etcdClientGroup]};
		if (issuer === caFingerprints.cluster)
			return {name: commonName, groups: [...organizations, 'system:authenticated']};
		return undefined;
	}
	const bearer = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
	return bearer === undefined ? anonymousUser : authenticateToken(context, bearer);
}

/** Not logged when they succeed: haproxy's health checks every second, and replication every 2 s. */
const quietPaths = new Set(['/healthz', '/livez', '/readyz', '/lab/v1/store']);

/** The answer to one request; the store is persisted and replicated before it when the request changed it. */
async function answer(incoming: IncomingMessage, text: string): Promise<{status: number; body: unknown}> {
	const url = new URL(incoming.url ?? '/', 'https://stand-in');
	const user = userOf(incoming.socket as TLSSocket, incoming.headers.authorization);
	if (user === undefined) return {status: 401, body: statusObject(401, 'Unauthorized', 'Unauthorized')};
	let body: unknown;
	try {
		body = text === '' ? undefined : JSON.parse(text);
	} catch {
		return {status: 400, body: statusObject(400, 'BadRequest', 'the request body is not JSON')};
	}
	const request = {method: incoming.method ?? 'GET', path: url.pathname, query: url.searchParams, user, body};
	const response = await serveRequest(context, request, flag('lab-version'));
	if (response.changed) {
		persist();
		// Before answering, so that the next request through the load balancer sees the write anywhere.
		// A replicated store is not passed on: its sender replicates to everyone itself.
		if (url.pathname !== '/lab/v1/store') await replicate();
	}
	if (!(quietPaths.has(url.pathname) && response.status === 200)) {
		log(`${request.method} ${url.pathname} ${response.status} ${user.name}`);
	}
	return response;
}

/** One request: read the body, answer, and never let a bug in the stand-in take the server down. */
function handle(incoming: IncomingMessage, outgoing: ServerResponse): void {
	let text = '';
	incoming.setEncoding('utf8');
	incoming.on('data', (chunk: string) => {
		text += chunk;
	});
	incoming.on('end', async () => {
		let result: {status: number; body: unknown};
		try {
			result = await answer(incoming, text);
		} catch (error) {
			// A bug in the stand-in: loud in the log and to the client, and the server stays up.
			log(`ERROR ${incoming.method} ${incoming.url}: ${(error as Error).stack}`);
			result = {
				status: 500,
				body: statusObject(500, 'InternalError', `kube-apiserver stand-in: ${(error as Error).message}`),
			};
		}
		const plain = typeof result.body === 'string';
		outgoing.writeHead(result.status, {'Content-Type': plain ? 'text/plain; charset=utf-8' : 'application/json'});
		outgoing.end(plain ? result.body : JSON.stringify(result.body));
	});
}

/** Listens on advertise-address:secure-port; a new server each time, as a restarted pod is a new process. */
function listen(): Server {
	const server = createServer(
		{
			cert: read(flag('tls-cert-file')),
			key: read(flag('tls-private-key-file')),
			ca: [clusterCa, etcdCa],
			requestCert: true,
			rejectUnauthorized: false,
		},
		handle,
	);
	server.listen(self.port, flag('bind-address'), () => log(`serving on https://${flag('bind-address')}:${self.port}`));
	return server;
}

/** Every 2 s (the leader-election retry period): renew this apiserver's lease, elect leaders, replicate. */
const tickMs = 2000;

async function tick(): Promise<void> {
	// A stopped apiserver renews no lease and elects no one: its leases expire and the others take over.
	if (server === undefined) return;
	renewMasterLease(context, self);
	electLeaders(context, identity);
	persist();
	await replicate();
}

const identity = `${hostname()}_${randomUUID()}`;
/** A load balancer may have no apiserver marked up for a moment. */
const joinSyncRetryMs = 10_000;

/**
Leaves the cluster as a terminating kube-apiserver does: no new connections (requests in flight are answered),
its endpoint lease removed so that the `kubernetes` Service stops naming it.
*/
async function stopServing(): Promise<void> {
	server?.close();
	server?.closeIdleConnections();
	server = undefined;
	removeMasterLease(context, self.address);
	persist();
	await replicate();
}

/*
The kubelet's part. On a node the kubelet runs kube-apiserver as a static pod: it stops the pod soon after the
manifest leaves /etc/kubernetes/manifests (it watches the directory) and starts a new one when the manifest is
back, and `kubeha drill --fault apiserver` takes the apiserver down exactly so. When the manifest changes (as
kubeha changes --etcd-servers), the kubelet replaces the pod: the old container stops, a new one runs the new
command. No kubelet runs in the lab, so this process watches its own manifest: gone, it stops serving (the port
is closed, as after the pod's end); back unchanged, it catches up with the other replicas (as a restarted etcd
member does) and serves again; changed, it stops serving, starts its successor with the manifest's flags (a new
process, pid file and all) and ends.
*/
const manifest = join(manifestsDirectory, 'kube-apiserver.yaml');
const kubeletPollMs = 200;
/** A terminating pod's requests in flight are answered; a restart waits this long for them at most. */
const drainMs = 5000;
let switching = false;

const readManifest = (): string | undefined => (existsSync(manifest) ? read(manifest) : undefined);
/** The manifest of the pod this process is: kubeadm wrote it just before starting it. */
let podManifest = readManifest();

async function followManifest(): Promise<void> {
	if (switching) return;
	const current = readManifest();
	podManifest ??= current;
	if (current !== undefined && current !== podManifest) {
		switching = true;
		await replacePod(current);
		return;
	}
	const present = current !== undefined;
	if (present === (server !== undefined)) return;
	switching = true;
	try {
		if (present) {
			log(`${manifest} is back: catching up with the other apiservers, then serving (a new pod)`);
			renewMasterLease(context, self);
			await replicate();
			server = listen();
		} else {
			log(`${manifest} is gone: stopped serving (the kubelet stops the pod)`);
			await stopServing();
		}
	} finally {
		switching = false;
	}
}

async function replacePod(newManifest: string): Promise<void> {
	let next: Record<string, string>;
	try {
		next = restartFlags(flags, newManifest);
	} catch (error) {
		log(`NOT MODELLED: ${manifest} changed, but ${(error as Error).message}; the old process goes on`);
		podManifest = newManifest;
		switching = false;
		return;
	}
	log(`${manifest} changed: the kubelet replaces the pod; a new process starts with the manifest's flags`);
	clearInterval(timers.tick);
	clearInterval(timers.kubelet);
	const closing = server;
	await stopServing();
	if (closing !== undefined) await Promise.race([once(closing, 'close'), delay(drainMs)]);
	spawnApiserver(next);
	log('stopped (replaced by a new pod)');
	process.exit(0);
}

async function shutDown(): Promise<void> {
	clearInterval(timers.tick);
	clearInterval(timers.kubelet);
	await stopServing();
	log('stopped (SIGTERM)');
	process.exit(0);
}

renewMasterLease(context, self);
const syncFrom = flags['lab-sync-from'];
// A joining control plane first takes the cluster's store from the endpoint, as a new etcd member syncs from the
// cluster, and announces itself to every other apiserver, so that each replicates its next write here too; only
// then does it serve, so that the load balancer never sends a request to a replica that misses writes.
if (syncFrom !== undefined) {
	if (!(await syncWith(`https://${syncFrom}`, joinSyncRetryMs))) {
		log(`could not reach the cluster at ${syncFrom} to take its store; not serving`);
		process.exit(1);
	}
}
// Caught up before serving: a joining apiserver with the replicas it just met, a restarted one with the writes it
// missed while it was down.
await replicate();
persist();
/** Undefined while the manifest is out of the manifests directory. */
let server: Server | undefined = listen();
const timers = {
	tick: setInterval(() => void tick(), tickMs),
	kubelet: setInterval(() => void followManifest(), kubeletPollMs),
};
process.on('SIGTERM', () => void shutDown());
