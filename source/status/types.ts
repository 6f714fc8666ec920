/** What `kubeha status` learns about a cluster: the result of probeCluster, the input of problemsOf and the views. */

/** keepalived's VRRP states as its data dump names them; anything else is kept as written. */
export type VrrpState = 'MASTER' | 'BACKUP' | 'FAULT' | 'INIT' | 'STOP' | (string & {});

/** keepalived on one load-balancer node. */
export type KeepalivedStatus =
	| {readonly running: false}
	| {
			readonly running: true;
			/** Absent when keepalived did not write its data dump (SIGUSR1) in time, or it has no such instance. */
			readonly instance?: {
				readonly state: VrrpState;
				/** The priority in keepalived.conf. */
				readonly basePriority: number;
				/** After the tracked scripts: lower than the base priority while a check fails. */
				readonly effectivePriority: number;
			};
			/** Why the instance is unknown. */
			readonly error?: string;
	  };

/** One API server behind haproxy, as its admin socket's `show stat` reports it. */
export type HaproxyBackend = {
	/** The server name in haproxy.cfg: the control plane's node name. */
	readonly server: string;
	/** UP, DOWN, MAINT, `UP 1/2` (going down), `DOWN 1/2` (coming up), `no check`… */
	readonly status: string;
	/** The last health check's verdict, e.g. `L7OK`, `L4CON`. */
	readonly check: string;
	/** haproxy's words about the last check, e.g. `Layer4 connection problem: Connection refused`. */
	readonly checkDescription: string;
};

export type HaproxyStatus =
	| {readonly answered: true; readonly backends: readonly HaproxyBackend[]}
	| {readonly answered: false; readonly error: string};

/** What a load-balancer node shows in keepalived-haproxy mode. */
export type LoadBalancerStatus = {
	readonly keepalived: KeepalivedStatus;
	readonly haproxy: HaproxyStatus;
};

/** GET /healthz on a control plane's advertise address and bind port. */
export type ApiServerStatus = {
	readonly healthy: boolean;
	/** The body (`ok`), the failed checks, or curl's error. */
	readonly detail: string;
};

/** One row of `kubeadm certs check-expiration`. */
export type CertificateExpiry = {
	/** kubeadm's name: `apiserver`, `admin.conf`, `ca`… */
	readonly name: string;
	/** As kubeadm prints it, e.g. `Aug 19, 2026 09:03 UTC`. */
	readonly expires: string;
	/** kubeadm's RESIDUAL TIME by the node's clock, e.g. `4d`, `<invalid>`. */
	readonly residual: string;
	/** The least time left that the residual stands for; negative once expired. */
	readonly residualSeconds: number;
	/** A certificate authority (kubeadm does not renew those). */
	readonly authority: boolean;
	readonly externallyManaged: boolean;
};

/** A control plane's certificates, as kubeadm sees them. */
export type CertificatesStatus =
	| {
			readonly answered: true;
			readonly earliest: CertificateExpiry;
			readonly entries: readonly CertificateExpiry[];
			/** Names kubeadm lists as !MISSING! (super-admin.conf on every control plane but the first). */
			readonly missing: readonly string[];
	  }
	| {readonly answered: false; readonly error: string};

/** One etcd member, asked on its own client URL with the etcd CA's client certificate. */
export type EtcdMemberStatus =
	| {
			readonly answered: true;
			/** `/health` (etcdctl endpoint health): a quorum read went through. */
			readonly healthy: boolean;
			/** Member and leader ids as etcd prints them (decimal uint64, kept as text: they exceed 2^53). */
			readonly memberId: string;
			/** `0` when the member knows no leader. */
			readonly leaderId: string;
	  }
	| {readonly answered: false; readonly error: string};

/** Everything one ssh round trip to a node found. */
export type HostStatus = {
	/** The node's name in the spec. */
	readonly node: string;
	readonly address: string;
	readonly reachable: boolean;
	/** Why ssh could not run the probe. */
	readonly error?: string;
	/** The host's own hostname: kube-controller-manager and kube-scheduler name their lease holders by it. */
	readonly hostname?: string;
	/** Nodes that may hold the VIP: whether `ip -o -4 address` shows it on the VIP interface. */
	readonly vipHeld?: boolean;
	/** Load-balancer nodes in keepalived-haproxy mode. */
	readonly loadBalancer?: LoadBalancerStatus;
	/** Control planes. */
	readonly apiServer?: ApiServerStatus;
	/** etcd members (the control planes when etcd is stacked). */
	readonly etcd?: EtcdMemberStatus;
	/** Control planes: kubeadm's certificates. */
	readonly certificates?: CertificatesStatus;
};

export type NodeReadiness = {
	readonly name: string;
	/** The Ready condition's status: True, False or Unknown (no condition is Unknown too). */
	readonly ready: 'True' | 'False' | 'Unknown';
	/** The condition's reason and message, for a node that is not Ready. */
	readonly reason?: string;
};

/** A leader-election lease in kube-system. */
export type LeaseStatus = {
	readonly name: string;
	/** `<hostname>_<uuid>` of the holder; absent when the lease does not exist or has none. */
	readonly holderIdentity?: string;
	/** Seconds since the holder last renewed it, by this machine's clock. */
	readonly renewedSecondsAgo?: number;
	readonly durationSeconds?: number;
};

/** The cluster as the Kubernetes API shows it, through the kubeconfig kubeha apply fetched. */
export type KubernetesStatus =
	| {
			readonly answered: true;
			readonly server: string;
			readonly nodes: readonly NodeReadiness[];
			readonly leases: readonly LeaseStatus[];
	  }
	/** kubeha apply has not fetched a kubeconfig (yet): the API was not asked. */
	| {readonly answered: false; readonly kubeconfig: 'missing'; readonly path: string}
	| {readonly answered: false; readonly kubeconfig: 'present'; readonly server: string; readonly error: string};

export type ClusterStatus = {
	readonly cluster: string;
	/** When the probe started, ISO 8601. */
	readonly checkedAt: string;
	readonly hosts: readonly HostStatus[];
	readonly kubernetes: KubernetesStatus;
};

/** A degradation: what is wrong, on which node, why kubeha thinks so, and what to do. */
export type Problem = {
	/** The node it concerns; absent for the cluster as a whole (the VIP held nowhere). */
	readonly node?: string;
	readonly what: string;
	readonly why: string;
	readonly fix: string;
};
