import {readFile, stat} from 'node:fs/promises';
import {parseSecrets, serializeSecrets} from '../secrets/codec.ts';
import {generateSecrets} from '../secrets/generate.ts';
import type {Secrets} from '../secrets/types.ts';
import type {ClusterSpec} from '../spec/cluster.ts';
import {writeFileAtomic} from './atomic-write.ts';
import {UserError} from './user-error.ts';

/** `cluster.yaml` → `cluster.secrets.yaml`, beside it. */
export const secretsPathFor = (specPath: string): string => `${specPath.replace(/\.ya?ml$/i, '')}.secrets.yaml`;

export type SecretsFile = {
	readonly path: string;
	readonly secrets: Secrets;
	/** What this call added to the file (nothing when every secret already existed). */
	readonly created: boolean;
	/** Said when the file was readable by others, which this call corrected. */
	readonly warnings: readonly string[];
};

/**
Loads the secrets beside a spec and generates whatever the spec needs that is missing (all of it the first time,
one etcd member's certificates after a node is added). The file is written atomically with mode 0600.
*/
export async function ensureSecretsFile(specPath: string, spec: ClusterSpec): Promise<SecretsFile> {
	const path = secretsPathFor(specPath);
	const warnings: string[] = [];
	let existing: Secrets | undefined;
	let existingText: string | undefined;
	try {
		existingText = await readFile(path, 'utf8');
		const {secrets, problems} = parseSecrets(existingText);
		if (!secrets) {
			throw new UserError(
				`${path} is damaged: ${problems.join('; ')}. Restore it from ${path}.previous or a backup; deleting it makes new secrets, which a running cluster will not accept.`,
			);
		}

		existing = secrets;
		if (((await stat(path)).mode & 0o077) !== 0) {
			warnings.push(`${path} was readable by other users; kubeha set its mode to 0600.`);
		}
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
			throw error;
		}
	}

	const secrets = await generateSecrets(spec, existing);
	const text = serializeSecrets(secrets);
	const created = text !== existingText;
	if (created || warnings.length > 0) {
		await writeFileAtomic(path, text, 0o600);
	}

	return {path, secrets, created, warnings};
}
