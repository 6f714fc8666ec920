/**
A problem the user can fix (a missing file, a bad flag, an invalid spec). The CLI prints its message and exits
with its code, without a stack trace; any other error is a bug in kubeha and keeps its stack.
*/
export class UserError extends Error {
	readonly exitCode: number;

	constructor(message: string, exitCode = 2) {
		super(message);
		this.name = 'UserError';
		this.exitCode = exitCode;
	}
}
