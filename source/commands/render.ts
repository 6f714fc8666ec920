import {UserError} from '../io/user-error.ts';
import {renderCluster} from '../render/index.ts';
import {maskSecrets} from '../secrets/mask.ts';
import type {CommandOutput} from '../session/output.ts';
import {prepare} from '../session/prepare.ts';

export type RenderOptions = {
	readonly config: string;
	readonly node?: string;
	readonly file?: string;
	readonly showSecrets?: boolean;
};

/** `kubeha render`: print the files each host gets, secrets masked unless asked for. */
export async function renderCommand(options: RenderOptions, output: CommandOutput): Promise<number> {
	const {spec, secretsFile, templates} = await prepare(options.config, output);
	const secrets = options.showSecrets ? secretsFile.secrets : maskSecrets(secretsFile.secrets);
	const hosts = renderCluster(spec, secrets, templates).filter((host) => !options.node || host.node === options.node);
	if (hosts.length === 0) {
		throw new UserError(
			`no node is named "${options.node}" in ${options.config}; the nodes are ${spec.nodes.map((node) => node.name).join(', ')}.`,
		);
	}

	const files = hosts.flatMap((host) =>
		host.files.filter((file) => !options.file || file.path === options.file).map((file) => ({host, file})),
	);
	if (files.length === 0) {
		throw new UserError(`no host gets a file ${options.file}; \`kubeha render -c ${options.config}\` lists them all.`);
	}

	for (const {host, file} of files) {
		output.out(`==> ${host.node}:${file.path} (0${file.mode.toString(8)}) <==\n${file.content}`);
	}

	return 0;
}
