import type {Secrets} from '../secrets/types.ts';
import type {ClusterSpec} from '../spec/cluster.ts';
import type {NodeSpec} from '../spec/schema.ts';

/** One file a host needs. */
export type RenderedFile = {
	/** Absolute path on the host. */
	readonly path: string;
	readonly content: string;
	/** Unix permission bits, e.g. 0o644; 0o600 for anything that holds a secret. */
	readonly mode: number;
	/** True when the content holds a secret value (password, token, key). */
	readonly secret: boolean;
};

/** Every file one node needs, sorted by path. */
export type HostFiles = {
	readonly node: string;
	readonly files: readonly RenderedFile[];
};

/** The text of every file in `templates/`, by file name. Read by the caller: the renderer does no IO. */
export type Templates = Readonly<Record<string, string>>;

/** What every renderer receives. */
export type RenderContext = {
	readonly spec: ClusterSpec;
	readonly secrets: Secrets;
	readonly templates: Templates;
};

/** Renders the files one concern needs on one node (none when the node has no part in it). */
export type NodeRenderer = (context: RenderContext, node: NodeSpec) => RenderedFile[];
