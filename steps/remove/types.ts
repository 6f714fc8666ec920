import type {Shell} from '../../source/runner/shell.ts';
import type {NodeSpec} from '../../source/spec/schema.ts';

/**
One run of `kubeha remove-node`, as the removal steps see it: which node goes, where the commands about it run,
and what the command learned about the hosts before it asked to go on. The steps work on the spec that still
lists the node.
*/
export type Removal = {
	/** The node being removed. */
	readonly node: NodeSpec;
	/** Whether the node answered over ssh; when it did not, nothing runs on it and the operator is told what to run. */
	readonly reachable: boolean;
	/** A surviving control plane that answers: kubectl (its admin.conf, its own API server) and stacked etcdctl run there. */
	readonly controlPlane: NodeSpec;
	/** External etcd: a surviving member that answers, where etcdctl runs; undefined otherwise. */
	readonly etcdPeer: NodeSpec | undefined;
	/** The runner's shell itself, for reads whose output is data, not progress lines. */
	readonly shell: Shell;
	/** Something the operator must know or do by hand; the command says it again at the end. */
	readonly warn: (text: string) => void;
};
