import {existsSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import {basename, dirname, join} from 'node:path';
import {parse} from 'yaml';
import {writeFileAtomic} from '../io/atomic-write.ts';
import {ensureSecretsFile} from '../io/secrets-file.ts';
import {readTemplates} from '../io/templates.ts';
import {renderCluster} from '../render/index.ts';
import {maskSecrets} from '../secrets/mask.ts';
import type {ClusterSpec} from '../spec/cluster.ts';
import {completeSpec} from '../spec/defaults.ts';
import type {Finding} from '../spec/finding.ts';
import {loadSpec} from '../spec/load.ts';
import {clusterSchema, type NodeSpec} from '../spec/schema.ts';
import type {Answers} from './answers.ts';
import {type Review, reviewFiles} from './review.ts';
import {draftText, type OpenedFile} from './serialize.ts';

/** What a host has at a path now, or undefined when it has nothing there. */
export type CurrentFile = (node: NodeSpec, path: string) => Promise<string | undefined>;

/** The bundle the wizard exports: beside the spec, named after it (`cluster.yaml` → `cluster-bundle/`). */
export const defaultBundlePath = (configPath: string): string =>
	join(dirname(configPath), `${basename(configPath).replace(/\.ya?ml$/i, '')}-bundle`);

export type OpenedSpec =
	| {readonly kind: 'missing'}
	| ({readonly kind: 'opened'} & OpenedFile)
	/** Not of the schema's shape (or not YAML): the wizard cannot fill its screens from it. */
	| {readonly kind: 'unusable'; readonly findings: readonly Finding[]};

/** Reads an existing cluster.yaml as a draft: its rule errors are for the wizard's screens to show, not a reason to refuse it. */
export async function openSpec(path: string): Promise<OpenedSpec> {
	let text: string;
	try {
		text = await readFile(path, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return {kind: 'missing'};
		}

		throw error;
	}

	const loaded = loadSpec(text);
	const parsed = loaded.spec ? clusterSchema.safeParse(parse(text)) : undefined;
	return parsed?.success ? {kind: 'opened', spec: parsed.data, text} : {kind: 'unusable', findings: loaded.findings};
}

/**
A function that saves the answers to cluster.yaml atomically. It writes only what changed: an opened file whose
meaning the operator did not change stays byte for byte as it was, comments and all (`draftText`, which is also
the text "Add a node" adds to). Saves run one after the other, so a slow disk never lets an older draft land after
a newer one.
*/
export function draftSaver(configPath: string, opened?: OpenedFile): (answers: Answers) => Promise<void> {
	let written = opened?.text;
	let queue: Promise<void> = Promise.resolve();
	const save = async (answers: Answers) => {
		// A new cluster replacing the file does not inherit the old one's notes.
		const text = draftText(answers.spec, answers.intent === 'new' ? undefined : opened);
		if (text !== written) {
			await writeFileAtomic(configPath, text);
			written = text;
		}
	};

	return async (answers) => {
		const saved = queue.then(async () => save(answers));
		// One failed save must not stop the next one from being tried.
		queue = saved.catch(() => undefined);
		return saved;
	};
}

/** The copy of a file in the last exported bundle, which is what the hosts were given last. */
export const bundleCopy =
	(bundlePath: string): CurrentFile =>
	async (node, path) => {
		if (!existsSync(join(bundlePath, 'SHA256SUMS'))) {
			return undefined;
		}

		try {
			return await readFile(join(bundlePath, 'hosts', node.name, path), 'utf8');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
				return undefined;
			}

			throw error;
		}
	};

/** The effective spec of valid answers; the review is only built for those. */
export const effectiveSpec = (answers: Answers): ClusterSpec => completeSpec(clusterSchema.parse(answers.spec));

/**
Renders every host's files (making the cluster's secrets on first use, beside the spec) and reads what each host
has now, for the review screen.
*/
export async function loadReview(configPath: string, spec: ClusterSpec, currentFile: CurrentFile): Promise<Review> {
	const {secrets} = await ensureSecretsFile(configPath, spec);
	const templates = await readTemplates();
	const actual = renderCluster(spec, secrets, templates);
	const shown = renderCluster(spec, maskSecrets(secrets), templates);
	const nodes = new Map(spec.nodes.map((node) => [node.name, node]));
	const current = new Map<string, string | undefined>();
	await Promise.all(
		actual.flatMap((host) =>
			host.files.map(async (file) => {
				const node = nodes.get(host.node);
				current.set(`${host.node}:${file.path}`, node ? await currentFile(node, file.path) : undefined);
			}),
		),
	);
	return reviewFiles({shown, actual, secrets, current: (node, path) => current.get(`${node}:${path}`)});
}
