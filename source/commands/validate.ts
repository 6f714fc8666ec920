import {stringify} from 'yaml';
import {readSpecFile} from '../io/spec-file.ts';
import {formatFindings} from '../session/format-findings.ts';
import type {CommandOutput} from '../session/output.ts';

export type ValidateOptions = {
	readonly config: string;
	readonly json?: boolean;
	readonly showDefaults?: boolean;
};

/** `kubeha validate`: exit 0 when the spec has no errors (warnings allowed), 1 when it has. */
export async function validateCommand(options: ValidateOptions, output: CommandOutput): Promise<number> {
	const {spec, findings, valid} = await readSpecFile(options.config);
	if (options.json) {
		const view = (severity: 'error' | 'warning') =>
			findings.filter((finding) => finding.severity === severity).map(({severity: _, ...finding}) => finding);
		output.out(
			JSON.stringify(
				{
					valid,
					errors: view('error'),
					warnings: view('warning'),
					...(options.showDefaults && spec ? {spec} : {}),
				},
				undefined,
				2,
			),
		);
		return valid ? 0 : 1;
	}

	if (findings.length > 0 || !options.showDefaults) {
		(valid ? output.out : output.err)(formatFindings(findings, options.config));
	}

	if (options.showDefaults && spec) {
		output.out(`# ${options.config} with every default filled in\n${stringify(spec)}`);
	}

	return valid ? 0 : 1;
}
