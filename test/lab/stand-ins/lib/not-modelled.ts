/**
Thrown when a stand-in meets something the real command supports but the stand-in does not model. The stand-ins print
it loudly and exit 1, so a scenario never passes by accident on behaviour that was only faked.
*/
export class NotModelled extends Error {
	override name = 'NotModelled';
}

/**
Runs a stand-in's main function: a `NotModelled` error (or any other) is printed on stderr, prefixed with the command's
name and the fact that this is the lab's stand-in, and the process exits 1.
*/
export function runStandIn(command: string, main: () => number): void {
	try {
		process.exitCode = main();
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		const kind = error instanceof NotModelled ? 'not modelled' : 'failed';
		process.stderr.write(`${command} (kubeha lab stand-in, a test fixture) ${kind}: ${message}\n`);
		process.exitCode = 1;
	}
}
