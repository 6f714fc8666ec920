// Test fixture for the lab's kubeadm stand-in: token discovery as kubeadm join does it
// (cmd/kubeadm/app/discovery/token): fetch cluster-info without trusting the server, check the token's JWS
// signature, check the CA against the pinned hashes, then fetch again verifying TLS with that CA.
import {parse} from 'yaml';
import {type KubeResponse, kubeRequest, type Target} from './kube-client.ts';
import type {KubeObject} from './kube-objects.ts';
import {caCertHash} from './kube-pki.ts';
import {detachedSignatureIsValid, splitToken} from './kube-tokens.ts';
import type {JoinConfiguration} from './kubeadm-config.ts';
import {KubeadmError} from './kubeadm-output.ts';

const clusterInfoPath = '/api/v1/namespaces/kube-public/configmaps/cluster-info';
/** kubeadm waits up to timeouts.discovery (5 min); the lab's load balancer needs seconds at most. */
const discoveryRetryMs = 20_000;

const identityError = (message: string) =>
	new KubeadmError(`couldn't validate the identity of the API Server: ${message}`, 'preflight');

async function fetchClusterInfo(target: Target): Promise<Record<string, string>> {
	let response: KubeResponse;
	try {
		response = await kubeRequest({...target, retryMs: discoveryRetryMs}, 'GET', clusterInfoPath);
	} catch (error) {
		throw identityError(`failed to request the cluster-info ConfigMap: ${(error as Error).message}`);
	}
	if (response.status !== 200) {
		throw identityError(
			`failed to request the cluster-info ConfigMap: the server answered ${response.status}: ${response.body}`,
		);
	}
	return ((JSON.parse(response.body) as KubeObject)['data'] ?? {}) as Record<string, string>;
}

type ClusterInfo = {clusters?: Array<{cluster: {server: string; 'certificate-authority-data': string}}>};

/** Where and how to reach the cluster after discovery: the server and CA of cluster-info, the TLS bootstrap token. */
export async function discover(join: JoinConfiguration): Promise<Target> {
	const {apiServerEndpoint, token, caCertHashes, tlsBootstrapToken} = join.discovery;
	const server = `https://${apiServerEndpoint}`;
	const {id, secret} = splitToken(token);
	const insecure = await fetchClusterInfo({server, insecure: true});
	const kubeconfig = insecure['kubeconfig'];
	if (!kubeconfig) {
		throw identityError(
			"there is no kubeconfig key in the cluster-info ConfigMap. This API Server isn't set up for token bootstrapping, can't connect",
		);
	}
	const signature = insecure[`jws-kubeconfig-${id}`];
	if (!signature) {
		throw identityError(
			`could not find a JWS signature in the cluster-info ConfigMap for token ID "${id}" (kubeha lab stand-in: real kubeadm retries this until timeouts.discovery, 5m by default, then fails with this message)`,
		);
	}
	if (!detachedSignatureIsValid(signature, kubeconfig, id, secret)) {
		throw identityError("failed to verify JWS signature of received cluster info object, can't trust this API Server");
	}
	const cluster = (parse(kubeconfig) as ClusterInfo).clusters?.[0]?.cluster;
	if (cluster === undefined) throw identityError('malformed kubeconfig in the cluster-info ConfigMap');
	const ca = Buffer.from(cluster['certificate-authority-data'], 'base64').toString();
	if (caCertHashes.length > 0) {
		const actual = caCertHash(ca);
		if (!caCertHashes.map((hash) => hash.toLowerCase()).includes(actual)) {
			throw identityError(
				`cluster CA found in cluster-info ConfigMap is invalid: none of the public keys "${actual}" are pinned`,
			);
		}
		// Connect back a second time verifying TLS with the pinned CA: the server must hold a certificate it signed.
		const secure = await fetchClusterInfo({server, ca});
		if (secure['kubeconfig'] !== kubeconfig) {
			throw identityError(
				'the second kubeconfig from the cluster-info ConfigMap (using validated TLS) was different from the first',
			);
		}
	}
	return {server: cluster.server, ca, token: tlsBootstrapToken};
}
