import {UserError} from './io/user-error.ts';
import {buildProgram} from './program.ts';
import {processOutput} from './session/output.ts';

async function main(): Promise<void> {
	const program = buildProgram(processOutput, (code) => {
		process.exitCode = code;
	});
	try {
		await program.parseAsync(process.argv);
	} catch (error) {
		if (error instanceof UserError) {
			processOutput.err(`kubeha: ${error.message}`);
			process.exitCode = error.exitCode;
			return;
		}

		// The file system refusing (a path that is a file, no permission, a full disk) is the user's to fix.
		const {syscall, path, code} = error as NodeJS.ErrnoException;
		if (syscall && path) {
			processOutput.err(`kubeha: cannot ${syscall} ${path}: ${code ?? 'failed'}; check the path and its permissions.`);
			process.exitCode = 2;
			return;
		}

		throw error;
	}
}

await main();
