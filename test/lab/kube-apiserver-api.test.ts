// The kube-apiserver stand-in's API without a network: authentication, authorization, what the controllers would
// have done (expired tokens and what they own disappear), replication merges and leader election.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {
	type ApiContext,
	type ApiRequest,
	anonymousUser,
	authenticateToken,
	electLeaders,
	etcdClientGroup,
	serveRequest,
	type User,
} from './stand-ins/lib/kube-apiserver-api.ts';
import {configMap, type KubeObject} from './stand-ins/lib/kube-objects.ts';
import {emptyStore, merge, objectKey, read, remove, type Store, write} from './stand-ins/lib/kube-store.ts';
import {
	certTokenTtl,
	detachedSignature,
	detachedSignatureIsValid,
	parseDuration,
	readTokenSecret,
	tokenSecret,
} from './stand-ins/lib/kube-tokens.ts';

const hour = 3_600_000;
const start = new Date('2026-01-01T00:00:00Z');
const joinToken = 'abcdef.0123456789abcdef';
const admin: User = {name: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:authenticated']};

/** A context whose clock the test moves, and the loud lines it logged. */
function fakeContext(store: Store = emptyStore()) {
	const clock = {now: start};
	const logged: string[] = [];
	const context: ApiContext = {
		store,
		origin: 'test',
		now: () => clock.now,
		signKubeletCsr: async () => undefined,
		log: (line) => logged.push(line),
	};
	return {context, clock, logged};
}

function call(context: ApiContext, user: User, method: string, path: string, body?: unknown) {
	const request: ApiRequest = {method, path, query: new URLSearchParams(), user, body};
	return serveRequest(context, request, 'v1.37.1');
}

const post = (context: ApiContext, path: string, body: KubeObject) => call(context, admin, 'POST', path, body);
const secrets = '/api/v1/namespaces/kube-system/secrets';

/** A cluster as init leaves it: the join token and cluster-info. */
async function initialised() {
	const fake = fakeContext();
	const token = {
		token: joinToken,
		ttl: '24h',
		usages: ['signing', 'authentication'],
		groups: ['system:bootstrappers:kubeadm:default-node-token'],
	};
	await post(fake.context, secrets, tokenSecret(token, start));
	await post(
		fake.context,
		'/api/v1/namespaces/kube-public/configmaps',
		configMap('kube-public', 'cluster-info', {kubeconfig: 'the kubeconfig'}),
	);
	return fake;
}

/** kubeadm-certs owned by a 2 h token, as upload-certs makes it. */
async function uploadCerts(context: ApiContext): Promise<void> {
	const owner = await post(
		context,
		secrets,
		tokenSecret({token: 'uvwxyz.0123456789abcdef', ttl: certTokenTtl}, context.now()),
	);
	const uid = (owner.body as KubeObject).metadata.uid ?? '';
	const ownerReferences = [{apiVersion: 'v1', kind: 'Secret', name: 'bootstrap-token-uvwxyz', uid, controller: true}];
	const body = {
		apiVersion: 'v1',
		kind: 'Secret',
		metadata: {name: 'kubeadm-certs', namespace: 'kube-system', ownerReferences},
		data: {},
	};
	assert.equal((await post(context, secrets, body)).status, 201);
}

describe('bootstrap tokens', () => {
	test('Go durations', () => {
		assert.equal(parseDuration('24h'), 24 * hour);
		assert.equal(parseDuration('1h30m'), 1.5 * hour);
		assert.equal(parseDuration('0'), 0);
		assert.throws(() => parseDuration('24 hours'), /not a duration/);
	});

	test('a token Secret reads back with its expiry, usages and groups', () => {
		const secret = tokenSecret(
			{token: joinToken, ttl: '2h', usages: ['signing'], groups: ['system:bootstrappers:x']},
			start,
		);
		assert.equal(secret.metadata.name, 'bootstrap-token-abcdef');
		assert.deepEqual(readTokenSecret(secret), {
			id: 'abcdef',
			secret: '0123456789abcdef',
			expiration: new Date(start.getTime() + 2 * hour),
			usages: ['signing'],
			groups: ['system:bootstrappers:x'],
		});
	});

	test('a detached JWS holds only for the same content and token secret', () => {
		const jws = detachedSignature('content', 'abcdef', '0123456789abcdef');
		assert.match(jws, /^[\w-]+\.\.[\w-]+$/);
		assert.ok(detachedSignatureIsValid(jws, 'content', 'abcdef', '0123456789abcdef'));
		assert.ok(!detachedSignatureIsValid(jws, 'other content', 'abcdef', '0123456789abcdef'));
		assert.ok(!detachedSignatureIsValid(jws, 'content', 'abcdef', 'fedcba9876543210'));
	});
});

describe('the API', () => {
	test('anyone reads cluster-info, signed for every valid signing token; an expired token signs nothing', async () => {
		const {context, clock} = await initialised();
		const path = '/api/v1/namespaces/kube-public/configmaps/cluster-info';
		const data = async () =>
			((await call(context, anonymousUser, 'GET', path)).body as {data: Record<string, string>}).data;
		const signature = (await data())['jws-kubeconfig-abcdef'] ?? '';
		assert.ok(detachedSignatureIsValid(signature, 'the kubeconfig', 'abcdef', '0123456789abcdef'));
		clock.now = new Date(start.getTime() + 25 * hour);
		assert.deepEqual(Object.keys(await data()), ['kubeconfig']);
	});

	test('a bootstrap token authenticates until it expires, and only with its secret', async () => {
		const {context, clock} = await initialised();
		assert.deepEqual(authenticateToken(context, joinToken)?.groups, [
			'system:bootstrappers',
			'system:bootstrappers:kubeadm:default-node-token',
			'system:authenticated',
		]);
		assert.equal(authenticateToken(context, 'abcdef.ffffffffffffffff'), undefined);
		clock.now = new Date(start.getTime() + 24 * hour);
		assert.equal(authenticateToken(context, joinToken), undefined);
	});

	test('kubeadm-certs: readable with the join token, forbidden to others, gone with its 2 h owner', async () => {
		const {context, clock} = await initialised();
		await uploadCerts(context);
		const bootstrapper = authenticateToken(context, joinToken);
		assert.ok(bootstrapper);
		const get = (user: User) => call(context, user, 'GET', `${secrets}/kubeadm-certs`);
		assert.equal((await get(bootstrapper)).status, 200);
		const forbidden = await get(anonymousUser);
		assert.equal(forbidden.status, 403);
		assert.match(
			(forbidden.body as {message: string}).message,
			/^secrets "kubeadm-certs" is forbidden: User "system:anonymous" cannot get resource "secrets" in API group "" in the namespace "kube-system"$/,
		);
		clock.now = new Date(start.getTime() + 2 * hour + 1000);
		const gone = await get(admin);
		assert.deepEqual(
			[gone.status, (gone.body as {message: string}).message],
			[404, 'secrets "kubeadm-certs" not found'],
		);
	});

	test('a node may create its own Node object and no other', async () => {
		const {context} = fakeContext();
		const kubelet: User = {name: 'system:node:h1', groups: ['system:nodes', 'system:authenticated']};
		const node = (name: string) => ({apiVersion: 'v1', kind: 'Node', metadata: {name}});
		assert.equal((await call(context, kubelet, 'POST', '/api/v1/nodes', node('h1'))).status, 201);
		assert.equal((await call(context, kubelet, 'POST', '/api/v1/nodes', node('h2'))).status, 403);
		assert.equal((await call(context, kubelet, 'POST', '/api/v1/nodes', node('h1'))).status, 409);
	});

	test('a path, verb or query the stand-in does not model is a 404 and a loud log line', async () => {
		const {context, logged} = fakeContext();
		assert.equal((await call(context, admin, 'GET', '/apis/apps/v1/deployments')).status, 404);
		assert.equal((await call(context, admin, 'PATCH', '/api/v1/nodes/h1')).status, 404);
		const selector = {
			method: 'GET',
			path: '/api/v1/nodes',
			query: new URLSearchParams('labelSelector=a'),
			user: admin,
			body: undefined,
		};
		assert.equal((await serveRequest(context, selector, 'v1.37.1')).status, 404);
		assert.deepEqual(
			logged.map((line) => line.split(':')[0]),
			['NOT MODELLED', 'NOT MODELLED', 'NOT MODELLED'],
		);
	});

	test('health and version answer anyone; store replication only apiservers', async () => {
		const {context} = fakeContext();
		assert.deepEqual(await call(context, anonymousUser, 'GET', '/healthz'), {status: 200, body: 'ok', changed: false});
		assert.equal(((await call(context, anonymousUser, 'GET', '/version')).body as {minor: string}).minor, '37');
		assert.equal((await call(context, admin, 'GET', '/lab/v1/store')).status, 403);
		const peer: User = {name: 'kube-apiserver-etcd-client', groups: [etcdClientGroup]};
		assert.equal((await call(context, peer, 'GET', '/lab/v1/store')).status, 200);
	});
});

describe('the replicated store', () => {
	const object = (name: string, value: string): KubeObject => ({
		apiVersion: 'v1',
		kind: 'ConfigMap',
		metadata: {name},
		data: {value},
	});
	const key = objectKey('configmaps', 'kube-system', 'c');

	test('replicas converge on the newer entry, whichever way they merge', () => {
		const a = emptyStore();
		const b = emptyStore();
		write(a, key, object('c', 'first'), 'a', start);
		merge(b, a);
		write(b, key, object('c', 'second'), 'b', start);
		assert.ok(merge(a, b));
		assert.ok(!merge(b, a));
		assert.deepEqual(read(a, key)?.['data'], {value: 'second'});
		assert.deepEqual(a, b);
	});

	test('a deletion is not undone by a replica that missed it', () => {
		const a = emptyStore();
		write(a, key, object('c', 'value'), 'a', start);
		const stale = structuredClone(a);
		remove(a, key, 'a');
		merge(a, stale);
		assert.equal(read(a, key), undefined);
	});
});

describe('leader election', () => {
	const holder = (context: ApiContext) => {
		const lease = read(context.store, objectKey('leases', 'kube-system', 'kube-scheduler'));
		return (lease?.['spec'] as {holderIdentity?: string} | undefined)?.holderIdentity;
	};

	test('the first takes the leases; another takes them only after 15 s without renewal', () => {
		const {context, clock} = fakeContext();
		electLeaders(context, 'h1_1');
		electLeaders(context, 'h2_2');
		assert.equal(holder(context), 'h1_1');
		clock.now = new Date(start.getTime() + 14_000);
		electLeaders(context, 'h2_2');
		assert.equal(holder(context), 'h1_1');
		clock.now = new Date(start.getTime() + 15_000);
		electLeaders(context, 'h2_2');
		assert.equal(holder(context), 'h2_2');
	});
});
