/** A certificate and its private key, PEM. */
export type KeyPair = {
	readonly cert: string;
	readonly key: string;
};

/** The PKI kubeha makes for an external etcd cluster, so etcd hosts need no kubeadm. */
export type EtcdPki = {
	/** kubeadm's etcd CA: /etc/kubernetes/pki/etcd/ca.{crt,key}. */
	readonly ca: KeyPair;
	/** Per member, by node name: server and peer certificates. */
	readonly members: Readonly<Record<string, {readonly server: KeyPair; readonly peer: KeyPair}>>;
	/** The client certificate kube-apiserver uses (apiserver-etcd-client). */
	readonly apiserverClient: KeyPair;
	/** The client certificate for health checks and etcdctl (healthcheck-client). */
	readonly healthcheckClient: KeyPair;
};

/**
Everything secret a cluster needs, generated once and kept in `<spec>.secrets.yaml` (mode 0600) beside the
spec, never in cluster.yaml. Certificates are public; keys, passwords and tokens are not.
*/
export type Secrets = {
	/** VRRP auth_pass: keepalived uses only the first 8 characters, so it has exactly 8. */
	readonly vrrpAuthPass: string;
	/** kubeadm bootstrap token, `[a-z0-9]{6}.[a-z0-9]{16}`. */
	readonly bootstrapToken: string;
	/** kubeadm certificate key: 64 hex digits (32-byte AES key) for `--upload-certs`. */
	readonly certificateKey: string;
	/** The cluster CA (/etc/kubernetes/pki/ca.{crt,key}); made by kubeha so join files can pin its hash. */
	readonly clusterCa: KeyPair;
	/** Present when etcd.topology is external. */
	readonly etcd?: EtcdPki;
};
