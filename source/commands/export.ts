import {resolve} from 'node:path';
import {buildBundle} from '../bundle/build.ts';
import {writeBundleDirectory, writeBundleTarball} from '../bundle/write.ts';
import {kubehaVersion} from '../io/version.ts';
import {renderCluster} from '../render/index.ts';
import {serializeSecrets} from '../secrets/codec.ts';
import {maskSecrets} from '../secrets/mask.ts';
import type {CommandOutput} from '../session/output.ts';
import {prepare} from '../session/prepare.ts';

export type ExportOptions = {
	readonly config: string;
	readonly output: string;
	readonly tar?: string;
	readonly includeSecrets?: boolean;
};

/** `kubeha export`: the config bundle, a directory and optionally a tarball. */
export async function exportCommand(options: ExportOptions, output: CommandOutput): Promise<number> {
	const {spec, specText, secretsFile, templates} = await prepare(options.config, output);
	const {secrets} = secretsFile;
	const includeSecrets = options.includeSecrets ?? false;
	const entries = buildBundle({
		spec,
		specText,
		hosts: renderCluster(spec, includeSecrets ? secrets : maskSecrets(secrets), templates),
		...(includeSecrets ? {secretsText: serializeSecrets(secrets)} : {}),
		templates,
		version: kubehaVersion(),
	});
	const directory = resolve(options.output);
	await writeBundleDirectory(directory, entries, {ownerOnly: includeSecrets});
	if (options.tar) {
		await writeBundleTarball(directory, entries, resolve(options.tar), {ownerOnly: includeSecrets});
	}

	const hostCount = new Set(spec.nodes.map((node) => node.name)).size;
	output.out(
		`wrote ${entries.length} files for ${hostCount} hosts to ${options.output}${options.tar ? ` and ${options.tar}` : ''}.`,
	);
	output.out(
		includeSecrets
			? 'the bundle holds the secrets: only you can read it; keep it safe.'
			: 'no secret is in the bundle: README.md says which files hold placeholders and how to fill them.',
	);
	return 0;
}
