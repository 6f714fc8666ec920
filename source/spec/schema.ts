import {z} from 'zod';

/**
The shape of cluster.yaml, as the user writes it.

Only structure lives here (types, known fields, enumerations, static defaults); what a value means
(addresses, ranges, overlaps, quorum) is checked by the rules in `rules/`, so that every finding carries a
rule id, a path and a fix. Objects are strict: an unknown field is a typo until proven otherwise.
*/

export const nodeRoles = ['control-plane', 'worker', 'etcd', 'load-balancer'] as const;
export const cniPlugins = ['calico', 'flannel', 'cilium', 'none'] as const;
export const etcdTopologies = ['stacked', 'external'] as const;
export const loadBalancerModes = ['keepalived-haproxy', 'kube-vip', 'external'] as const;
export const loadBalancerDeploys = ['systemd', 'static-pod'] as const;

export const apiVersion = 'kubeha/v1alpha1';

const port = () => z.number().int();

export const nodeSchema = z.strictObject({
	name: z.string().describe('Host name, a lowercase DNS-1123 subdomain; the Kubernetes node name.'),
	address: z.string().describe('IPv4 address the node is reached at and advertises.'),
	roles: z.array(z.enum(nodeRoles)).describe('What the node runs.'),
	priority: z
		.number()
		.int()
		.optional()
		.describe('keepalived priority (1-254), load-balancer nodes only; the highest holds the VIP.'),
	interface: z
		.string()
		.optional()
		.describe('Network interface for VRRP and the VIP, when it differs from loadBalancer.interface.'),
});

export const kubernetesSchema = z.strictObject({
	version: z.string().default('1.37.1').describe('Kubernetes version x.y.z.'),
	podSubnet: z.string().default('10.244.0.0/16').describe('CIDR for pod addresses.'),
	serviceSubnet: z.string().default('10.96.0.0/12').describe('CIDR for service addresses.'),
	dnsDomain: z.string().default('cluster.local').describe('Cluster DNS domain.'),
	cni: z.enum(cniPlugins).default('calico').describe('Pod network plugin.'),
});

export const etcdSchema = z.strictObject({
	topology: z
		.enum(etcdTopologies)
		.default('stacked')
		.describe('stacked: etcd on the control planes; external: nodes with role etcd.'),
});

export const loadBalancerImagesSchema = z.strictObject({
	keepalived: z.string().optional().describe('Image for the keepalived static pod.'),
	haproxy: z.string().optional().describe('Image for the haproxy static pod.'),
	kubeVip: z.string().optional().describe('Image for kube-vip.'),
});

export const loadBalancerSchema = z.strictObject({
	mode: z.enum(loadBalancerModes).default('keepalived-haproxy').describe('How clients reach the API servers.'),
	deploy: z
		.enum(loadBalancerDeploys)
		.default('systemd')
		.describe('keepalived-haproxy only: system services or static pods.'),
	vip: z
		.string()
		.optional()
		.describe('Virtual IP with prefix, e.g. 192.168.1.94/24 (keepalived-haproxy and kube-vip).'),
	port: port()
		.optional()
		.describe('Port clients use on the VIP; 8443 by default when haproxy shares a node with an API server.'),
	interface: z.string().optional().describe('Default interface for VRRP/ARP; a node may override it.'),
	virtualRouterId: z
		.number()
		.int()
		.optional()
		.describe('VRRP virtual_router_id (1-255); derived from the cluster name by default.'),
	unicast: z.boolean().default(false).describe('Unicast VRRP between load-balancer nodes instead of multicast.'),
	statsPort: port().optional().describe('haproxy statistics page port; no stats listener when absent.'),
	endpoint: z.string().optional().describe('external mode only: host:port of the existing load balancer.'),
	images: loadBalancerImagesSchema
		.optional()
		.describe('Override the pinned images (private registries, air-gapped sites).'),
});

export const apiServerSchema = z.strictObject({
	bindPort: port().default(6443).describe('Port kube-apiserver listens on.'),
	certSANs: z.array(z.string()).default([]).describe('Extra names; the VIP, endpoint and node names are always added.'),
});

export const sshSchema = z.strictObject({
	user: z.string().default('root').describe('SSH user; root or a user with password-less sudo.'),
	port: port().default(22).describe('SSH port.'),
	identityFile: z.string().optional().describe('Private key; the SSH agent and ~/.ssh/config are used when absent.'),
});

const releaseSchema = z.strictObject({
	version: z.string().describe('Release version x.y.z, without the "v".'),
	sha256: z
		.strictObject({
			amd64: z.string().optional().describe('sha256 (hex) of the amd64 release file.'),
			arm64: z.string().optional().describe('sha256 (hex) of the arm64 release file.'),
		})
		.describe('sha256 of the release file per architecture, as its project publishes it.'),
});

/** One optional value per component kubeha downloads (source/components/table.ts). */
const perComponent = <T extends z.ZodType>(value: T, what: string) =>
	z.strictObject({
		containerd: value.optional().describe(`containerd ${what}.`),
		runc: value.optional().describe(`runc ${what}.`),
		cni: value.optional().describe(`CNI plugins ${what}.`),
		crictl: value.optional().describe(`crictl ${what}.`),
		etcd: value.optional().describe(`etcd (external topology) ${what}.`),
	});

export const componentsSchema = z.strictObject({
	mirror: perComponent(z.string(), 'download base URL, in place of its GitHub releases (…/releases/download)')
		.optional()
		.describe('Internal mirrors or proxies: files are fetched from <base>/v<version>/<upstream file name>.'),
	releases: perComponent(releaseSchema, 'release to install in place of the pinned one')
		.optional()
		.describe("Pin other releases than kubeha's components table, with their sha256."),
});

export const clusterSchema = z.strictObject({
	apiVersion: z.literal(apiVersion).describe('Spec version.'),
	kind: z.literal('Cluster'),
	name: z.string().describe('Cluster name, DNS-1123 label; kubeadm clusterName.'),
	kubernetes: kubernetesSchema.prefault({}),
	etcd: etcdSchema.prefault({}),
	loadBalancer: loadBalancerSchema.prefault({}),
	apiServer: apiServerSchema.prefault({}),
	ssh: sshSchema.prefault({}),
	components: componentsSchema
		.optional()
		.describe('Where containerd, runc, the CNI plugins, crictl and etcd are downloaded from, and which releases.'),
	nodes: z.array(nodeSchema).describe('Every host of the cluster.'),
});

/** cluster.yaml as written: optional fields may be absent. */
export type ClusterInput = z.input<typeof clusterSchema>;
/** cluster.yaml after static defaults; derived defaults come from `completeSpec`. */
export type ParsedCluster = z.output<typeof clusterSchema>;
export type NodeRole = (typeof nodeRoles)[number];
export type NodeSpec = z.output<typeof nodeSchema>;
