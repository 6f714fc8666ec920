import {isIP} from 'node:net';
import {parseAllDocuments} from 'yaml';
import {z} from 'zod';

/**
A strict checker of kubeadm configuration files, standing in for `kubeadm config validate` (which cannot run
here). Test fixture, not product code.

Fields: kubeadm.k8s.io/v1beta4 Init/Cluster/JoinConfiguration as in kubernetes/kubernetes
`cmd/kubeadm/app/apis/kubeadm/v1beta4/types.go` (with `bootstraptoken/v1` BootstrapToken and the core/v1 Taint
and EnvVar they embed), every object strict, so an unknown or wrong-case field at any depth is a problem, as
it is for `kubeadm config validate`. Of kubelet.config.k8s.io/v1beta1 KubeletConfiguration only the fields
kubeha writes are known: any other is reported as unknown, though kubelet may accept it.

Rules: those of `cmd/kubeadm/app/apis/kubeadm/validation/validation.go` that apply to a file before kubeadm's
defaulting (a field kubeadm defaults may be absent). Stricter than kubeadm in one place: a port must be numeric.
*/
export function checkKubeadmConfig(yamlText: string): string[] {
	const documents = parseAllDocuments(yamlText, {uniqueKeys: true});
	if (documents.length === 0) {
		return ['the file holds no YAML documents'];
	}

	const syntax = documents.flatMap((document, index) =>
		document.errors.map((problem) => `document ${index + 1}: ${problem.message.split('\n')[0]}`),
	);
	if (syntax.length > 0) {
		return syntax;
	}

	const problems: string[] = [];
	const seen = new Set<string>();
	for (const [index, document] of documents.entries()) {
		const data: unknown = document.toJS();
		const where = `document ${index + 1}`;
		if (data === null || typeof data !== 'object' || Array.isArray(data)) {
			problems.push(`${where}: must be a mapping with apiVersion and kind`);
			continue;
		}

		const {apiVersion, kind} = data as {apiVersion?: unknown; kind?: unknown};
		const type = `${String(apiVersion)}/${String(kind)}`;
		const known = kinds[type];
		if (known === undefined) {
			problems.push(`${where}: ${describeUnknownKind(apiVersion, kind)}`);
			continue;
		}

		if (seen.has(type)) {
			problems.push(`${where}: ${String(kind)} (${String(apiVersion)}) appears twice in the file`);
		}

		seen.add(type);
		problems.push(...known(data).map((problem) => `${String(kind)} ${problem}`));
	}

	return problems;
}

const kubeadmGroup = 'kubeadm.k8s.io/v1beta4';
const kubeletGroup = 'kubelet.config.k8s.io/v1beta1';

function describeUnknownKind(apiVersion: unknown, kind: unknown): string {
	if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
		return 'apiVersion and kind are required strings';
	}

	if (/^kubeadm\.k8s\.io\/v1beta[123]$/.test(apiVersion)) {
		return `${apiVersion} is not accepted by current kubeadm (v1beta3 was removed in Kubernetes 1.36); use ${kubeadmGroup}`;
	}

	return `unknown kind ${kind} in ${apiVersion}; expected Init/Cluster/JoinConfiguration in ${kubeadmGroup} or KubeletConfiguration in ${kubeletGroup}`;
}

function describeIssue(issue: z.core.$ZodIssue): string {
	const path = issue.path.map(String).join('.');
	if (issue.code === 'unrecognized_keys') {
		return issue.keys.map((key) => `${path ? `${path}.` : ''}${key}: unknown field`).join('; ');
	}

	return `${path || '(document)'}: ${issue.message}`;
}

// ---- Shape: types.go -------------------------------------------------------------------------------------

/** metav1.Duration: a Go duration string such as 24h0m0s. */
const duration = z
	.string()
	.regex(/^(0|[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)$/, 'not a Go duration (like 24h)');
/** metav1.Time: RFC 3339. */
const time = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/, 'not an RFC 3339 time');
const strings = z.array(z.string());
const typeMeta = (group: string, kind: string) => ({apiVersion: z.literal(group), kind: z.literal(kind)});

const arg = z.strictObject({name: z.string(), value: z.string().optional()});
const args = z.array(arg);
const keySelector = {key: z.string(), optional: z.boolean().optional()};
const envVar = z.strictObject({
	name: z.string(),
	value: z.string().optional(),
	valueFrom: z
		.strictObject({
			fieldRef: z.strictObject({apiVersion: z.string().optional(), fieldPath: z.string()}).optional(),
			resourceFieldRef: z
				.strictObject({
					containerName: z.string().optional(),
					resource: z.string(),
					divisor: z.union([z.string(), z.number()]).optional(),
				})
				.optional(),
			configMapKeyRef: z.strictObject({name: z.string().optional(), ...keySelector}).optional(),
			secretKeyRef: z.strictObject({name: z.string().optional(), ...keySelector}).optional(),
			fileKeyRef: z.strictObject({volumeName: z.string(), path: z.string(), ...keySelector}).optional(),
		})
		.optional(),
});
const hostPathMount = z.strictObject({
	name: z.string(),
	hostPath: z.string(),
	mountPath: z.string(),
	readOnly: z.boolean().optional(),
	pathType: z
		.enum(['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'])
		.optional(),
});
const controlPlaneComponent = {
	extraArgs: args.optional(),
	extraVolumes: z.array(hostPathMount).optional(),
	extraEnvs: z.array(envVar).optional(),
};
const imageMeta = {imageRepository: z.string().optional(), imageTag: z.string().optional()};
const apiEndpoint = z.strictObject({advertiseAddress: z.string().optional(), bindPort: z.number().int().optional()});
const taint = z.strictObject({
	key: z.string(),
	value: z.string().optional(),
	effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
	timeAdded: time.optional(),
});
const nodeRegistration = z.strictObject({
	name: z.string().optional(),
	criSocket: z.string().optional(),
	// Not omitempty upstream: null (or absent) means "the default control-plane taint", [] means none.
	taints: z.array(taint).nullable().optional(),
	kubeletExtraArgs: args.optional(),
	ignorePreflightErrors: strings.optional(),
	imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).optional(),
	imagePullSerial: z.boolean().optional(),
});
const patches = z.strictObject({directory: z.string().optional()});
const timeouts = z.strictObject({
	controlPlaneComponentHealthCheck: duration.optional(),
	kubeletHealthCheck: duration.optional(),
	kubernetesAPICall: duration.optional(),
	etcdAPICall: duration.optional(),
	tlsBootstrap: duration.optional(),
	discovery: duration.optional(),
	upgradeManifests: duration.optional(),
});
const bootstrapToken = z.strictObject({
	token: z.string(),
	description: z.string().optional(),
	ttl: duration.optional(),
	expires: time.optional(),
	usages: strings.optional(),
	groups: strings.optional(),
});

const initConfiguration = z.strictObject({
	...typeMeta(kubeadmGroup, 'InitConfiguration'),
	bootstrapTokens: z.array(bootstrapToken).optional(),
	dryRun: z.boolean().optional(),
	nodeRegistration: nodeRegistration.optional(),
	localAPIEndpoint: apiEndpoint.optional(),
	certificateKey: z.string().optional(),
	skipPhases: strings.optional(),
	patches: patches.optional(),
	timeouts: timeouts.optional(),
});

const clusterConfiguration = z.strictObject({
	...typeMeta(kubeadmGroup, 'ClusterConfiguration'),
	etcd: z
		.strictObject({
			local: z
				.strictObject({
					...imageMeta,
					dataDir: z.string().optional(),
					extraArgs: args.optional(),
					extraEnvs: z.array(envVar).optional(),
					serverCertSANs: strings.optional(),
					peerCertSANs: strings.optional(),
				})
				.optional(),
			external: z
				.strictObject({
					endpoints: strings,
					caFile: z.string().optional(),
					certFile: z.string().optional(),
					keyFile: z.string().optional(),
				})
				.optional(),
		})
		.optional(),
	networking: z
		.strictObject({
			serviceSubnet: z.string().optional(),
			podSubnet: z.string().optional(),
			dnsDomain: z.string().optional(),
		})
		.optional(),
	kubernetesVersion: z.string().optional(),
	controlPlaneEndpoint: z.string().optional(),
	apiServer: z.strictObject({...controlPlaneComponent, certSANs: strings.optional()}).optional(),
	controllerManager: z.strictObject(controlPlaneComponent).optional(),
	scheduler: z.strictObject(controlPlaneComponent).optional(),
	dns: z.strictObject({...imageMeta, disabled: z.boolean().optional()}).optional(),
	proxy: z.strictObject({disabled: z.boolean().optional()}).optional(),
	certificatesDir: z.string().optional(),
	imageRepository: z.string().optional(),
	featureGates: z.record(z.string(), z.boolean()).optional(),
	clusterName: z.string().optional(),
	encryptionAlgorithm: z.enum(['RSA-2048', 'RSA-3072', 'RSA-4096', 'ECDSA-P256']).optional(),
	certificateValidityPeriod: duration.optional(),
	caCertificateValidityPeriod: duration.optional(),
});

const joinConfiguration = z.strictObject({
	...typeMeta(kubeadmGroup, 'JoinConfiguration'),
	dryRun: z.boolean().optional(),
	nodeRegistration: nodeRegistration.optional(),
	caCertPath: z.string().optional(),
	discovery: z.strictObject({
		bootstrapToken: z
			.strictObject({
				token: z.string(),
				apiServerEndpoint: z.string().optional(),
				caCertHashes: strings.optional(),
				unsafeSkipCAVerification: z.boolean().optional(),
			})
			.optional(),
		file: z.strictObject({kubeConfigPath: z.string()}).optional(),
		tlsBootstrapToken: z.string().optional(),
	}),
	controlPlane: z
		.strictObject({localAPIEndpoint: apiEndpoint.optional(), certificateKey: z.string().optional()})
		.optional(),
	skipPhases: strings.optional(),
	patches: patches.optional(),
	timeouts: timeouts.optional(),
});

/** Only what kubeha writes; the full KubeletConfiguration has ~100 fields this checker does not model. */
const kubeletConfiguration = z.strictObject({
	...typeMeta(kubeletGroup, 'KubeletConfiguration'),
	cgroupDriver: z.enum(['systemd', 'cgroupfs']).optional(),
});

type Init = z.infer<typeof initConfiguration>;
type Cluster = z.infer<typeof clusterConfiguration>;
type Join = z.infer<typeof joinConfiguration>;
type NodeRegistration = z.infer<typeof nodeRegistration>;
type ApiEndpoint = z.infer<typeof apiEndpoint>;

// ---- Rules: validation.go ---------------------------------------------------------------------------------

/** Checks one document: its shape first, then, when the shape is right, the rules. */
type KindChecker = (data: unknown) => string[];

function kindChecker<T>(schema: z.ZodType<T>, rules: (document: T) => string[]): KindChecker {
	return (data) => {
		const parsed = schema.safeParse(data);
		return parsed.success ? rules(parsed.data) : parsed.error.issues.map((issue) => describeIssue(issue));
	};
}

const kinds: Readonly<Record<string, KindChecker>> = {
	[`${kubeadmGroup}/InitConfiguration`]: kindChecker(initConfiguration, initRules),
	[`${kubeadmGroup}/ClusterConfiguration`]: kindChecker(clusterConfiguration, clusterRules),
	[`${kubeadmGroup}/JoinConfiguration`]: kindChecker(joinConfiguration, joinRules),
	[`${kubeletGroup}/KubeletConfiguration`]: kindChecker(kubeletConfiguration, () => []),
};

function initRules(init: Init): string[] {
	return [
		...nodeRegistrationRules(init.nodeRegistration, 'nodeRegistration'),
		...(init.bootstrapTokens ?? []).flatMap((token, index) => bootstrapTokenRules(token, `bootstrapTokens.${index}`)),
		...apiEndpointRules(init.localAPIEndpoint, 'localAPIEndpoint'),
		...certificateKeyRules(init.certificateKey, 'certificateKey'),
	];
}

function clusterRules(cluster: Cluster): string[] {
	const problems: string[] = [];
	const networking = cluster.networking ?? {};
	if (networking.dnsDomain !== undefined && !isDnsSubdomain(networking.dnsDomain)) {
		problems.push(`networking.dnsDomain: ${networking.dnsDomain} is not a DNS-1123 subdomain`);
	}

	if (networking.serviceSubnet !== undefined) {
		problems.push(...subnetRules(networking.serviceSubnet, 'networking.serviceSubnet', serviceSubnetRule));
	}

	if (networking.podSubnet !== undefined) {
		problems.push(...subnetRules(networking.podSubnet, 'networking.podSubnet', podSubnetRule));
	}

	for (const san of cluster.apiServer?.certSANs ?? []) {
		if (!isDnsSubdomain(san.replace(/^\*\./, '')) && isIP(san) === 0) {
			problems.push(`apiServer.certSANs: ${san} is not an IP address, a DNS name or a wildcard DNS name`);
		}
	}

	problems.push(
		...extraArgRules(cluster.apiServer?.extraArgs, 'apiServer.extraArgs'),
		...extraArgRules(cluster.controllerManager?.extraArgs, 'controllerManager.extraArgs'),
		...extraArgRules(cluster.scheduler?.extraArgs, 'scheduler.extraArgs'),
		...absolutePathRules(cluster.certificatesDir, 'certificatesDir'),
		...etcdRules(cluster.etcd ?? {}),
	);
	if (cluster.controlPlaneEndpoint !== undefined && !isHostPort(cluster.controlPlaneEndpoint, false)) {
		problems.push(`controlPlaneEndpoint: ${cluster.controlPlaneEndpoint} is not host or host:port`);
	}

	return problems;
}

function etcdRules(etcd: NonNullable<Cluster['etcd']>): string[] {
	// Neither is fine in a file: kubeadm's defaulting then sets etcd.local.
	if (etcd.local && etcd.external) {
		return ['etcd: local and external are mutually exclusive'];
	}

	if (etcd.local) {
		return [
			...absolutePathRules(etcd.local.dataDir, 'etcd.local.dataDir'),
			...extraArgRules(etcd.local.extraArgs, 'etcd.local.extraArgs'),
		];
	}

	if (!etcd.external) {
		return [];
	}

	const {endpoints, caFile, certFile, keyFile} = etcd.external;
	const problems: string[] = [];
	if (Boolean(certFile) !== Boolean(keyFile)) {
		problems.push('etcd.external: certFile and keyFile must be both set or both empty');
	}

	if (certFile && keyFile && !caFile) {
		problems.push('etcd.external: certFile and keyFile require caFile');
	}

	const tls = Boolean(caFile || certFile || keyFile);
	for (const endpoint of endpoints) {
		const scheme = /^([a-z][a-z\d+.-]*):\/\//i.exec(endpoint)?.[1];
		if (scheme === undefined) {
			problems.push(`etcd.external.endpoints: ${endpoint} has no scheme`);
		} else if (tls && scheme !== 'https') {
			problems.push(`etcd.external.endpoints: ${endpoint} must be https when TLS files are set`);
		}
	}

	for (const [field, path] of Object.entries({caFile, certFile, keyFile})) {
		problems.push(...absolutePathRules(path || undefined, `etcd.external.${field}`));
	}

	return problems;
}

function joinRules(join: Join): string[] {
	const problems: string[] = [];
	const {bootstrapToken, file, tlsBootstrapToken} = join.discovery;
	if (Boolean(bootstrapToken) === Boolean(file)) {
		problems.push('discovery: exactly one of bootstrapToken and file must be set');
	}

	if (bootstrapToken) {
		const path = 'discovery.bootstrapToken';
		if (!bootstrapToken.apiServerEndpoint) {
			problems.push(`${path}.apiServerEndpoint: required`);
		} else if (!isHostPort(bootstrapToken.apiServerEndpoint, true)) {
			problems.push(`${path}.apiServerEndpoint: ${bootstrapToken.apiServerEndpoint} is not host:port`);
		}

		const hashes = bootstrapToken.caCertHashes ?? [];
		if (hashes.length === 0 && !bootstrapToken.unsafeSkipCAVerification) {
			problems.push(`${path}.caCertHashes: required unless unsafeSkipCAVerification is true`);
		}

		// cmd/kubeadm/app/util/pubkeypin: "sha256:" and the hex of a SHA-256.
		for (const hash of hashes) {
			if (!/^sha256:[\da-f]{64}$/i.test(hash)) {
				problems.push(`${path}.caCertHashes: ${hash} is not sha256:<64 hex digits>`);
			}
		}

		problems.push(...tokenRules(bootstrapToken.token, `${path}.token`));
	}

	if (tlsBootstrapToken !== undefined) {
		problems.push(...tokenRules(tlsBootstrapToken, 'discovery.tlsBootstrapToken'));
	}

	if (join.caCertPath !== undefined && !(join.caCertPath.startsWith('/') && join.caCertPath.endsWith('.crt'))) {
		problems.push(`caCertPath: ${join.caCertPath} must be an absolute path ending in .crt`);
	}

	if (join.controlPlane) {
		problems.push(
			...apiEndpointRules(join.controlPlane.localAPIEndpoint, 'controlPlane.localAPIEndpoint'),
			...certificateKeyRules(join.controlPlane.certificateKey, 'controlPlane.certificateKey'),
		);
	}

	problems.push(...nodeRegistrationRules(join.nodeRegistration, 'nodeRegistration'));
	return problems;
}

function nodeRegistrationRules(registration: NodeRegistration | undefined, path: string): string[] {
	if (registration === undefined) {
		return [];
	}

	const problems = extraArgRules(registration.kubeletExtraArgs, `${path}.kubeletExtraArgs`);
	if (registration.name !== undefined && !isDnsSubdomain(registration.name)) {
		problems.push(`${path}.name: ${registration.name} is not a DNS-1123 subdomain`);
	}

	if (registration.criSocket !== undefined && !registration.criSocket.startsWith('unix://')) {
		problems.push(`${path}.criSocket: ${registration.criSocket} must be a unix:// URL`);
	}

	return problems;
}

/** bootstrap-token usages kubeadm knows (k8s.io/cluster-bootstrap/token/api KnownTokenUsages). */
const tokenUsages = new Set(['signing', 'authentication']);

function bootstrapTokenRules(token: z.infer<typeof bootstrapToken>, path: string): string[] {
	const problems = tokenRules(token.token, `${path}.token`);
	for (const usage of token.usages ?? []) {
		if (!tokenUsages.has(usage)) {
			problems.push(`${path}.usages: unknown usage ${usage}; known: ${[...tokenUsages].join(', ')}`);
		}
	}

	const groups = token.groups ?? [];
	if (groups.length > 0 && !token.usages?.includes('authentication')) {
		problems.push(`${path}.groups: allowed only when usages include authentication`);
	}

	for (const group of groups) {
		if (!/^system:bootstrappers:[a-z\d:-]{0,255}[a-z\d]$/.test(group)) {
			problems.push(`${path}.groups: ${group} is not system:bootstrappers:<name>`);
		}
	}

	if (token.ttl !== undefined && token.expires !== undefined) {
		problems.push(`${path}: ttl and expires are mutually exclusive`);
	}

	return problems;
}

const tokenRules = (token: string, path: string): string[] =>
	/^[a-z\d]{6}\.[a-z\d]{16}$/.test(token) ? [] : [`${path}: not a bootstrap token ([a-z0-9]{6}.[a-z0-9]{16})`];

function apiEndpointRules(endpoint: ApiEndpoint | undefined, path: string): string[] {
	const problems: string[] = [];
	if (endpoint?.advertiseAddress !== undefined && isIP(endpoint.advertiseAddress) === 0) {
		problems.push(`${path}.advertiseAddress: ${endpoint.advertiseAddress} is not an IP address`);
	}

	if (endpoint?.bindPort !== undefined && !isPort(endpoint.bindPort)) {
		problems.push(`${path}.bindPort: ${endpoint.bindPort} is not a port (1-65535)`);
	}

	return problems;
}

/** "hex string that is an AES key of size 32 bytes". */
const certificateKeyRules = (key: string | undefined, path: string): string[] =>
	key === undefined || /^[\da-f]{64}$/i.test(key) ? [] : [`${path}: must be 64 hex digits (a 32-byte AES key)`];

const extraArgRules = (list: z.infer<typeof args> | undefined, path: string): string[] =>
	(list ?? []).flatMap((item, index) => (item.name ? [] : [`${path}.${index}: argument has no name`]));

const absolutePathRules = (path: string | undefined, field: string): string[] =>
	path === undefined || path.startsWith('/') ? [] : [`${field}: ${path} is not an absolute path`];

const isPort = (port: number): boolean => Number.isInteger(port) && port >= 1 && port <= 65_535;

function isDnsSubdomain(name: string): boolean {
	return name.length <= 253 && /^[a-z\d]([-a-z\d]*[a-z\d])?(\.[a-z\d]([-a-z\d]*[a-z\d])?)*$/.test(name);
}

/** kubeadm's ParseHostPort (host or host:port) or, with the port required, net.SplitHostPort (host:port). */
function isHostPort(endpoint: string, portRequired: boolean): boolean {
	const bracketed = /^\[([^\]]+)](?::(\d+))?$/.exec(endpoint);
	const [host, port] = bracketed
		? [bracketed[1] ?? '', bracketed[2]]
		: isIP(endpoint) === 6 || !endpoint.includes(':')
			? [endpoint, undefined]
			: [endpoint.slice(0, endpoint.lastIndexOf(':')), endpoint.slice(endpoint.lastIndexOf(':') + 1)];
	const validHost = bracketed ? isIP(host) === 6 : isIP(host) !== 0 || isDnsSubdomain(host);
	const validPort = port === undefined ? !portRequired : /^\d+$/.test(port) && isPort(Number(port));
	return validHost && validPort;
}

type SubnetRule = (prefix: number, bits: number) => string | undefined;

/** validation.go ValidateServiceSubnetSize: at most 20 host bits (MaximumBitsForServiceSubnet). */
const serviceSubnetRule: SubnetRule = (prefix, bits) =>
	bits - prefix > 20 ? `larger than allowed: the prefix must be at least /${bits - 20}` : undefined;

/** validation.go ValidatePodSubnetNodeMask with the default node masks (/24, /64), at most 16 bits apart. */
const podSubnetRule: SubnetRule = (prefix, bits) => {
	const nodeMask = bits === 32 ? 24 : 64;
	if (prefix > nodeMask) {
		return `smaller than one node's range (/${nodeMask})`;
	}

	return nodeMask - prefix > 16 ? `more than 16 bits larger than one node's range (/${nodeMask})` : undefined;
};

/** One CIDR, or an IPv4 and an IPv6 one comma-separated (dual stack). */
function subnetRules(value: string, path: string, rule: SubnetRule): string[] {
	const cidrs = value.split(',');
	const families = cidrs.map((cidr) => {
		const [address = '', prefix] = cidr.split('/');
		return {cidr, family: isIP(address), prefix: Number(prefix)};
	});
	const problems: string[] = [];
	for (const {cidr, family, prefix} of families) {
		const bits = family === 4 ? 32 : 128;
		if (family === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > bits) {
			problems.push(`${path}: ${cidr} is not a CIDR`);
			continue;
		}

		const problem = rule(prefix, bits);
		if (problem) {
			problems.push(`${path}: ${cidr} is ${problem}`);
		}
	}

	if (families.length > 2 || (families.length === 2 && families[0]?.family === families[1]?.family)) {
		problems.push(`${path}: ${value} must be one CIDR, or one IPv4 and one IPv6 CIDR`);
	}

	return problems;
}
