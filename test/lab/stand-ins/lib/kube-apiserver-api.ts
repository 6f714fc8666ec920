// Test fixture for the lab's kube-apiserver stand-in: the subset of the Kubernetes API that kubeadm (join, upload
// of certificates, tokens) and kubeha's checks use, with authentication, a small authorizer shaped like kubeadm's
// RBAC, and the controllers whose effect shows in it (token cleaner, garbage collector, bootstrap signer, CSR
// approver and signer, endpoint reconciler). No network here: kube-apiserver.ts serves it.
import {type KubeObject, microTime, type OwnerReference, type StatusReason, statusObject} from './kube-objects.ts';
import {list, merge, objectKey, read, remove, revision, type Store, write} from './kube-store.ts';
import {
	defaultTokenGroup,
	detachedSignature,
	readTokenSecret,
	splitToken,
	tokenExpired,
	tokenPattern,
	tokenSecretName,
} from './kube-tokens.ts';

export type User = {name: string; groups: string[]};
export const anonymousUser: User = {name: 'system:anonymous', groups: ['system:unauthenticated']};
/** Callers with a client certificate of the etcd CA: other apiservers replicating the store (see kube-store.ts). */
export const etcdClientGroup = 'lab:etcd-clients';
const adminGroups = ['system:masters', 'kubeadm:cluster-admins'];

export type ApiContext = {
	store: Store;
	/** This replica's name, for the stamps of its writes. */
	origin: string;
	now: () => Date;
	/** Signs a kubelet client CSR (PEM) with the cluster CA; undefined when the request is not a valid one. */
	signKubeletCsr: (csr: string) => Promise<string | undefined>;
	/** Loud lines for the apiserver's log: requests the stand-in does not model. */
	log: (line: string) => void;
};

export type ApiRequest = {method: string; path: string; query: URLSearchParams; user: User; body: unknown};
/** body: a string is sent as text/plain, anything else as JSON. changed: the store was written. */
export type ApiResponse = {status: number; body: unknown; changed: boolean};

type Verb = 'get' | 'list' | 'create' | 'update' | 'delete';
type Resource = {group: string; version: string; plural: string; kind: string; namespaced: boolean; verbs: Verb[]};

const resources: readonly Resource[] = [
	{
		group: '',
		version: 'v1',
		plural: 'nodes',
		kind: 'Node',
		namespaced: false,
		verbs: ['get', 'list', 'create', 'update', 'delete'],
	},
	{
		group: '',
		version: 'v1',
		plural: 'secrets',
		kind: 'Secret',
		namespaced: true,
		verbs: ['get', 'list', 'create', 'update', 'delete'],
	},
	{
		group: '',
		version: 'v1',
		plural: 'configmaps',
		kind: 'ConfigMap',
		namespaced: true,
		verbs: ['get', 'list', 'create', 'update', 'delete'],
	},
	{group: '', version: 'v1', plural: 'endpoints', kind: 'Endpoints', namespaced: true, verbs: ['get']},
	{
		group: 'coordination.k8s.io',
		version: 'v1',
		plural: 'leases',
		kind: 'Lease',
		namespaced: true,
		verbs: ['get', 'list'],
	},
	{
		group: 'certificates.k8s.io',
		version: 'v1',
		plural: 'certificatesigningrequests',
		kind: 'CertificateSigningRequest',
		namespaced: false,
		verbs: ['create'],
	},
];

/** Query parameters that change nothing here (the stand-in never paginates). */
const harmlessQuery = new Set(['limit', 'timeout', 'pretty', 'fieldManager']);

type Target = {resource: Resource; namespace: string; name?: string; subresource?: string};

const ok = (body: unknown, status = 200, changed = false): ApiResponse => ({status, body, changed});
const failure = (code: number, reason: StatusReason, message: string): ApiResponse =>
	ok(statusObject(code, reason, message), code);

function notModelled(context: ApiContext, request: ApiRequest, why: string): ApiResponse {
	const message = `the kube-apiserver stand-in (kubeha lab test fixture) does not model ${request.method} ${request.path}: ${why}`;
	context.log(
		`NOT MODELLED: ${request.method} ${request.path}${request.query.size > 0 ? `?${request.query}` : ''} by ${request.user.name}: ${why}`,
	);
	return failure(404, 'NotFound', message);
}

function parseTarget(path: string): Target | undefined {
	const parts = path.split('/').filter(Boolean);
	const [root, ...rest] = parts;
	let group = '';
	let version: string | undefined;
	let remainder: string[];
	if (root === 'api') [version, ...remainder] = rest;
	else if (root === 'apis') [group = '', version, ...remainder] = rest;
	else return undefined;
	let namespace = '';
	if (remainder[0] === 'namespaces' && remainder.length >= 3) {
		namespace = remainder[1] ?? '';
		remainder = remainder.slice(2);
	}
	const [plural, name, subresource, ...extra] = remainder;
	const resource = resources.find(
		(candidate) => candidate.group === group && candidate.version === version && candidate.plural === plural,
	);
	if (resource === undefined || extra.length > 0 || resource.namespaced !== (namespace !== '')) return undefined;
	return {
		resource,
		namespace,
		...(name === undefined ? {} : {name}),
		...(subresource === undefined ? {} : {subresource}),
	};
}

function verbOf(method: string, target: Target): Verb | undefined {
	if (method === 'GET') return target.name === undefined ? 'list' : 'get';
	if (method === 'POST' && target.name === undefined) return 'create';
	if (method === 'PUT' && target.name !== undefined) return 'update';
	if (method === 'DELETE' && target.name !== undefined) return 'delete';
	return undefined;
}

// ---- Authentication and authorization ---------------------------------------------------------------------

/** A bootstrap token (Bearer) as the token authenticator reads it; undefined when it is not valid now. */
export function authenticateToken(context: ApiContext, bearer: string): User | undefined {
	if (!tokenPattern.test(bearer)) return undefined;
	const {id, secret} = splitToken(bearer);
	const object = read(context.store, objectKey('secrets', 'kube-system', tokenSecretName(id)));
	const token = object === undefined ? undefined : readTokenSecret(object);
	if (token === undefined || token.secret !== secret || tokenExpired(token, context.now())) return undefined;
	if (!token.usages.includes('authentication')) return undefined;
	return {name: `system:bootstrap:${id}`, groups: ['system:bootstrappers', ...token.groups, 'system:authenticated']};
}

const bootstrapConfigMaps = ['kubeadm-config', 'kubelet-config'];

/** kubeadm's RBAC for bootstrap tokens and the Node authorizer, reduced to what join and the kubelet do. */
function authorized(user: User, verb: Verb, target: Target): boolean {
	const {resource, namespace, name} = target;
	const inGroup = (group: string) => user.groups.includes(group);
	if (adminGroups.some(inGroup)) return true;
	if (resource.plural === 'configmaps' && verb === 'get') {
		if (namespace === 'kube-public' && name === 'cluster-info') return true;
		if (namespace === 'kube-system' && bootstrapConfigMaps.includes(name ?? '')) {
			return inGroup('system:bootstrappers') || inGroup('system:nodes');
		}
	}
	if (inGroup('system:bootstrappers')) {
		if (resource.plural === 'certificatesigningrequests' && verb === 'create') return true;
		if (resource.plural === 'nodes' && verb === 'get') return true;
		const kubeadmCerts = resource.plural === 'secrets' && namespace === 'kube-system' && name === 'kubeadm-certs';
		if (kubeadmCerts && verb === 'get') return inGroup(defaultTokenGroup);
	}
	if (inGroup('system:nodes') && resource.plural === 'nodes') {
		return verb === 'get' || ((verb === 'create' || verb === 'update') && user.name === `system:node:${name}`);
	}
	return false;
}

function forbidden(user: User, verb: Verb, target: Target): ApiResponse {
	const {resource, namespace, name} = target;
	const subject = name === undefined ? resource.plural : `${resource.plural} "${name}"`;
	const scope = namespace === '' ? 'at the cluster scope' : `in the namespace "${namespace}"`;
	return failure(
		403,
		'Forbidden',
		`${subject} is forbidden: User "${user.name}" cannot ${verb} resource "${resource.plural}" in API group "${resource.group}" ${scope}`,
	);
}

// ---- What the controllers would have done by now -----------------------------------------------------------

/**
Expired bootstrap tokens are gone (token cleaner) and so is anything they own (garbage collector, e.g. the
kubeadm-certs Secret, which kubeadm makes owned by a 2 h token). Real controllers take a few seconds; here at once.
*/
function visible(context: ApiContext, object: KubeObject): boolean {
	const token = readTokenSecret(object);
	if (token !== undefined && tokenExpired(token, context.now())) return false;
	return (object.metadata.ownerReferences ?? []).every((owner: OwnerReference) => {
		if (owner.kind !== 'Secret') return true;
		const ownerObject = read(context.store, objectKey('secrets', object.metadata.namespace ?? '', owner.name));
		return ownerObject !== undefined && ownerObject.metadata.uid === owner.uid && visible(context, ownerObject);
	});
}

/** The bootstrap signer: cluster-info carries a JWS of its kubeconfig for every valid signing token. */
function signedClusterInfo(context: ApiContext, object: KubeObject): KubeObject {
	const data = {...(object['data'] as Record<string, string>)};
	const kubeconfig = data['kubeconfig'] ?? '';
	for (const secret of list(context.store, 'secrets', 'kube-system')) {
		const token = readTokenSecret(secret);
		if (token === undefined || !token.usages.includes('signing') || !visible(context, secret)) continue;
		data[`jws-kubeconfig-${token.id}`] = detachedSignature(kubeconfig, token.id, token.secret);
	}
	return {...object, data};
}

// ---- The apiservers themselves: master leases, the kubernetes Endpoints, leader election -----------------

/** How long an apiserver stays in the kubernetes Endpoints without renewing (the endpoint reconciler's TTL). */
const masterLeaseSeconds = 15;
const masterLeaseKey = (address: string): string => objectKey('masterleases', '', address);

export type Peer = {address: string; port: number};

/** Records that this apiserver serves at address:port (the real apiserver keeps this in etcd under /masterleases). */
export function renewMasterLease(context: ApiContext, {address, port}: Peer): void {
	const lease = {
		apiVersion: 'lab.kubeha/v1',
		kind: 'MasterLease',
		metadata: {name: address},
		port,
		renewTime: microTime(context.now()),
	};
	write(context.store, masterLeaseKey(address), lease, context.origin, context.now());
}

/** On a clean stop, as kube-apiserver removes itself from the endpoints when it shuts down. */
export function removeMasterLease(context: ApiContext, address: string): void {
	remove(context.store, masterLeaseKey(address), context.origin);
}

/** Every apiserver ever registered and not cleanly stopped: where to replicate to. */
export function peers(context: ApiContext): Peer[] {
	return list(context.store, 'masterleases').map((lease) => ({
		address: lease.metadata.name,
		port: lease['port'] as number,
	}));
}

function liveApiservers(context: ApiContext): Peer[] {
	const oldest = context.now().getTime() - masterLeaseSeconds * 1000;
	return list(context.store, 'masterleases')
		.filter((lease) => new Date(lease['renewTime'] as string).getTime() >= oldest)
		.map((lease) => ({address: lease.metadata.name, port: lease['port'] as number}));
}

function kubernetesEndpoints(context: ApiContext): KubeObject {
	const live = liveApiservers(context);
	return {
		apiVersion: 'v1',
		kind: 'Endpoints',
		metadata: {name: 'kubernetes', namespace: 'default', labels: {endpointslice: 'kubernetes.io/skip-mirror'}},
		subsets:
			live.length === 0
				? []
				: [
						{
							addresses: live.map(({address}) => ({ip: address})),
							ports: [{name: 'https', port: live[0]?.port, protocol: 'TCP'}],
						},
					],
	};
}

const leaderLeases = ['kube-controller-manager', 'kube-scheduler'] as const;
/** --leader-elect-lease-duration's default. */
const leaseDurationSeconds = 15;

/**
One round of leader election for kube-controller-manager and kube-scheduler, which the stand-in runs on every
control plane in their place: the holder renews; anyone takes a lease whose holder has not renewed for 15 s.
*/
export function electLeaders(context: ApiContext, identity: string): void {
	const now = context.now();
	for (const name of leaderLeases) {
		const key = objectKey('leases', 'kube-system', name);
		const lease = read(context.store, key);
		const spec = (lease?.['spec'] ?? {}) as Record<string, unknown>;
		const held = spec['holderIdentity'] === identity;
		const renewed = new Date((spec['renewTime'] as string | undefined) ?? 0).getTime();
		if (!held && renewed + leaseDurationSeconds * 1000 > now.getTime()) continue;
		const transitions = (spec['leaseTransitions'] as number | undefined) ?? 0;
		const next = {
			apiVersion: 'coordination.k8s.io/v1',
			kind: 'Lease',
			metadata: {name, namespace: 'kube-system'},
			spec: {
				holderIdentity: identity,
				leaseDurationSeconds,
				acquireTime: held ? spec['acquireTime'] : microTime(now),
				renewTime: microTime(now),
				leaseTransitions: lease === undefined || held ? transitions : transitions + 1,
			},
		};
		write(context.store, key, next, context.origin, now);
	}
}

// ---- Requests -----------------------------------------------------------------------------------------------

// The store stands in for etcd and is always there, so its readiness check passes.
const nonResourcePaths = new Set(['/healthz', '/livez', '/readyz', '/readyz/etcd']);

/** kubectl version and client-go's discovery read this. */
const versionInfo = (version: string) => {
	const [major = '1', minor = '0'] = version.replace(/^v/, '').split('.');
	return {major, minor, gitVersion: version, platform: 'linux/amd64'};
};

export async function serveRequest(context: ApiContext, request: ApiRequest, version: string): Promise<ApiResponse> {
	if (nonResourcePaths.has(request.path) && request.method === 'GET') return ok('ok');
	if (request.path === '/version' && request.method === 'GET') return ok(versionInfo(version));
	if (request.path === '/lab/v1/store') return replicate(context, request);
	const target = parseTarget(request.path);
	if (target === undefined) return notModelled(context, request, 'unknown path');
	const verb = verbOf(request.method, target);
	if (verb === undefined || !target.resource.verbs.includes(verb)) {
		return notModelled(context, request, `verb ${verb ?? request.method} on ${target.resource.plural}`);
	}
	const unknownQuery = [...request.query.keys()].filter((key) => !harmlessQuery.has(key));
	if (unknownQuery.length > 0) return notModelled(context, request, `query parameters ${unknownQuery.join(', ')}`);
	if (target.subresource !== undefined && !(target.resource.plural === 'nodes' && target.subresource === 'status')) {
		return notModelled(context, request, `subresource ${target.subresource}`);
	}
	// A create names its object in the body; the authorizer looks at that name (the Node authorizer does).
	const bodyName = (request.body as Partial<KubeObject> | undefined)?.metadata?.name;
	const named = verb === 'create' && typeof bodyName === 'string' ? {...target, name: bodyName} : target;
	// Anonymous callers are forbidden, not unauthorized, as with the real apiserver's anonymous authentication.
	if (!authorized(request.user, verb, named)) return forbidden(request.user, verb, named);
	switch (verb) {
		case 'get':
			return getObject(context, target);
		case 'list':
			return listObjects(context, target);
		case 'create':
			return target.resource.plural === 'certificatesigningrequests'
				? signCsr(context, request)
				: createObject(context, target, request.body);
		case 'update':
			return updateObject(context, target, request.body);
		case 'delete':
			return deleteObject(context, target);
	}
}

const notFound = (target: Target, name: string): ApiResponse =>
	failure(404, 'NotFound', `${target.resource.plural} "${name}" not found`);

function lookup(context: ApiContext, target: Target, name: string): KubeObject | undefined {
	if (target.resource.plural === 'endpoints') {
		return target.namespace === 'default' && name === 'kubernetes' ? kubernetesEndpoints(context) : undefined;
	}
	const object = read(context.store, objectKey(target.resource.plural, target.namespace, name));
	if (object === undefined || !visible(context, object)) return undefined;
	const isClusterInfo =
		target.resource.plural === 'configmaps' && target.namespace === 'kube-public' && name === 'cluster-info';
	return isClusterInfo ? signedClusterInfo(context, object) : object;
}

function getObject(context: ApiContext, target: Target): ApiResponse {
	const name = target.name ?? '';
	const object = lookup(context, target, name);
	return object === undefined ? notFound(target, name) : ok(object);
}

function listObjects(context: ApiContext, target: Target): ApiResponse {
	const namespace = target.resource.namespaced ? target.namespace : '';
	const items = list(context.store, target.resource.plural, namespace)
		.map((object) => lookup(context, target, object.metadata.name))
		.filter((object) => object !== undefined);
	return ok({
		apiVersion: target.resource.group === '' ? 'v1' : `${target.resource.group}/${target.resource.version}`,
		kind: `${target.resource.kind}List`,
		metadata: {resourceVersion: String(revision(context.store))},
		items,
	});
}

/** The body must be an object of the resource's kind, in the path's namespace: the object, or the refusal. */
function checkBody(target: Target, body: unknown): {object: KubeObject} | {refusal: ApiResponse} {
	const object = body as Partial<KubeObject> | undefined;
	const name = object?.metadata?.name;
	if (object?.kind !== target.resource.kind || typeof name !== 'string' || name === '') {
		return {refusal: failure(400, 'BadRequest', `the body must be a ${target.resource.kind} with metadata.name`)};
	}
	if (target.name !== undefined && target.name !== name) {
		const message = `the name of the object (${name}) does not match the name in the URL (${target.name})`;
		return {refusal: failure(400, 'BadRequest', message)};
	}
	const namespace = object.metadata?.namespace ?? target.namespace;
	if (namespace !== target.namespace) {
		const message = `the namespace of the object (${namespace}) does not match the namespace in the URL (${target.namespace})`;
		return {refusal: failure(400, 'BadRequest', message)};
	}
	const metadata = {...object.metadata, name, ...(namespace === '' ? {} : {namespace})};
	return {object: {...(object as KubeObject), metadata}};
}

function createObject(context: ApiContext, target: Target, body: unknown): ApiResponse {
	const checked = checkBody(target, body);
	if ('refusal' in checked) return checked.refusal;
	const {name} = checked.object.metadata;
	if (lookup(context, target, name) !== undefined) {
		return failure(409, 'AlreadyExists', `${target.resource.plural} "${name}" already exists`);
	}
	const key = objectKey(target.resource.plural, target.namespace, name);
	// A name freed by the token cleaner or garbage collector is a new object: no uid or creation time carried over.
	remove(context.store, key, context.origin);
	return ok(write(context.store, key, checked.object, context.origin, context.now()), 201, true);
}

function updateObject(context: ApiContext, target: Target, body: unknown): ApiResponse {
	const name = target.name ?? '';
	const existing = lookup(context, target, name);
	if (existing === undefined) return notFound(target, name);
	const checked = checkBody(target, body);
	if ('refusal' in checked) return checked.refusal;
	// PUT …/status changes only the status, as the real subresource does.
	const next = target.subresource === 'status' ? {...existing, status: checked.object['status']} : checked.object;
	const key = objectKey(target.resource.plural, target.namespace, name);
	return ok(write(context.store, key, next, context.origin, context.now()), 200, true);
}

function deleteObject(context: ApiContext, target: Target): ApiResponse {
	const name = target.name ?? '';
	if (lookup(context, target, name) === undefined) return notFound(target, name);
	remove(context.store, objectKey(target.resource.plural, target.namespace, name), context.origin);
	const success = {apiVersion: 'v1', kind: 'Status', status: 'Success', details: {name, kind: target.resource.plural}};
	return ok(success, 200, true);
}

const kubeletSigner = 'kubernetes.io/kube-apiserver-client-kubelet';

/**
The kubelet's TLS bootstrap: the CSR is approved (csrapprover) and signed (csrsigning) at once and returned with
its certificate. Real clients create it, then watch for the certificate; the stand-in keeps no CSR objects.
*/
async function signCsr(context: ApiContext, request: ApiRequest): Promise<ApiResponse> {
	const csr = request.body as {
		kind?: string;
		metadata?: {name?: string};
		spec?: {request?: string; signerName?: string};
	};
	if (csr?.kind !== 'CertificateSigningRequest' || csr.spec?.signerName !== kubeletSigner || !csr.spec.request) {
		return failure(
			400,
			'BadRequest',
			`the body must be a CertificateSigningRequest for signer ${kubeletSigner} with spec.request`,
		);
	}
	const certificate = await context.signKubeletCsr(Buffer.from(csr.spec.request, 'base64').toString());
	if (certificate === undefined) {
		return failure(400, 'BadRequest', 'spec.request must be a PEM CSR for CN=system:node:<name>, O=system:nodes');
	}
	return ok(
		{
			...csr,
			status: {
				conditions: [
					{
						type: 'Approved',
						status: 'True',
						reason: 'AutoApproved',
						message: 'Auto approving kubelet client certificate after SubjectAccessReview.',
					},
				],
				certificate: Buffer.from(certificate).toString('base64'),
			},
		},
		201,
	);
}

/** GET: this replica's store; POST: merge the caller's store, answer with the result (a two-way sync). */
function replicate(context: ApiContext, request: ApiRequest): ApiResponse {
	if (!request.user.groups.includes(etcdClientGroup)) {
		return failure(403, 'Forbidden', 'only apiservers (client certificates of the etcd CA) may replicate the store');
	}
	if (request.method === 'GET') return ok(context.store);
	if (request.method !== 'POST') return notModelled(context, request, 'store replication takes GET and POST');
	const changed = merge(context.store, request.body as Store);
	return ok(context.store, 200, changed);
}
