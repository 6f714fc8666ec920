import {type ApplyOptions, installCluster} from '../install/install.ts';
import type {SessionDependencies} from '../session/dependencies.ts';
import {concurrencyOf, outputFormatOf} from '../session/flags.ts';
import type {CommandOutput} from '../session/output.ts';
import {prepare} from '../session/prepare.ts';
import {openSession} from '../session/session.ts';

/**
`kubeha apply`: installs the cluster the spec describes, step by step on its nodes over ssh, skipping what is
in place, after showing what changes on each host against the files it has now; `--dry-run` shows it all and
changes nothing (it reads the hosts' files).
*/
export async function applyCommand(
	options: ApplyOptions,
	output: CommandOutput,
	dependencies: SessionDependencies,
): Promise<number> {
	const format = outputFormatOf(options.output);
	const concurrency = concurrencyOf(options.concurrency);
	const session = openSession(options, output, dependencies, {json: format === 'json'});
	const {spec, secretsFile, templates} = await prepare(options.config, output);
	return installCluster(session, {
		spec,
		secrets: secretsFile.secrets,
		templates,
		format,
		concurrency,
		dryRun: options.dryRun,
		resume: options.resume,
		overwriteDrift: options.overwriteDrift,
	});
}
