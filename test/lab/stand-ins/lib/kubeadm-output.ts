// Test fixture for the lab's kubeadm and kubectl stand-ins: how they fail (like kubeadm, or loudly when a path is
// not modelled), and the record of every call they get.
import {appendFileSync, mkdirSync} from 'node:fs';
import {NotModelled} from './not-modelled.ts';

/** The host's runtime directory of the kube stand-ins (fresh per host "boot", like /run). */
export const runtimeDirectory = '/run/lab-kube';

/** A failure real kubeadm has too: printed the way kubeadm prints it, exit status 1. */
export class KubeadmError extends Error {
	override name = 'KubeadmError';
	/** The phase kubeadm names in "error execution phase <phase>: …", when there is one. */
	readonly phase: string | undefined;
	constructor(message: string, phase?: string) {
		super(message);
		this.phase = phase;
	}
}

/** Appends the call to /run/lab-kube/calls.log, so scenarios can check what the product asked for. */
export function recordCall(command: string, argv: readonly string[]): void {
	mkdirSync(runtimeDirectory, {recursive: true});
	appendFileSync(`${runtimeDirectory}/calls.log`, `${[command, ...argv].join(' ')}\n`);
}

/**
The async counterpart of not-modelled.ts's runStandIn (kubeadm talks to the network): KubeadmError prints as
kubeadm does; NotModelled and anything unexpected print loudly as the lab's stand-in; both exit 1.
*/
export function runAsyncStandIn(command: string, main: () => Promise<number>): void {
	main().then(
		(code) => {
			process.exitCode = code;
		},
		(error: unknown) => {
			if (error instanceof KubeadmError) {
				const where = error.phase === undefined ? '' : `error execution phase ${error.phase}: `;
				process.stderr.write(
					`${where}${error.message}\nTo see the stack trace of this error execute with --v=5 or higher\n`,
				);
			} else {
				const message = error instanceof Error ? error.message : String(error);
				const kind = error instanceof NotModelled ? 'not modelled' : 'failed';
				process.stderr.write(`${command} (kubeha lab stand-in, a test fixture) ${kind}: ${message}\n`);
			}
			process.exitCode = 1;
		},
	);
}
