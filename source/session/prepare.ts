import {ensureSecretsFile, type SecretsFile} from '../io/secrets-file.ts';
import {readSpecFile} from '../io/spec-file.ts';
import {readTemplates} from '../io/templates.ts';
import {UserError} from '../io/user-error.ts';
import type {Templates} from '../render/types.ts';
import type {ClusterSpec} from '../spec/cluster.ts';
import type {Finding} from '../spec/finding.ts';
import {formatFindings} from './format-findings.ts';
import type {CommandOutput} from './output.ts';

export type Prepared = {
	readonly spec: ClusterSpec;
	readonly specText: string;
	readonly secretsFile: SecretsFile;
	readonly templates: Templates;
};

/**
What every command that renders needs: a valid spec, its secrets (made on first use) and the templates.
An invalid spec stops here with its findings; warnings are shown and do not stop.
*/
export async function prepare(config: string, output: CommandOutput): Promise<Prepared> {
	const {spec, findings, text} = await validSpec(config, output);
	if (findings.length > 0) {
		output.err(formatFindings(findings, config));
	}

	const secretsFile = await ensureSecretsFile(config, spec);
	for (const warning of secretsFile.warnings) {
		output.err(`warning ${warning}`);
	}

	if (secretsFile.created) {
		output.err(`kubeha wrote the cluster's secrets to ${secretsFile.path} (mode 0600); keep it with ${config}.`);
	}

	return {spec, specText: text, secretsFile, templates: await readTemplates()};
}

/** The spec, valid, with its findings (warnings only) and text; an invalid spec stops here with its findings. */
export async function validSpec(
	config: string,
	output: CommandOutput,
): Promise<{spec: ClusterSpec; findings: readonly Finding[]; text: string}> {
	const {spec, findings, valid, text} = await readSpecFile(config);
	if (!valid || !spec) {
		output.err(formatFindings(findings, config));
		throw new UserError(`fix the errors in ${config}, then run the command again.`, 1);
	}

	return {spec, findings, text};
}
