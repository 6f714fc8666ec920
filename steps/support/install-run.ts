import type {Shell} from '../../source/runner/shell.ts';
import type {NodeSpec} from '../../source/spec/schema.ts';
import type {HostFacts} from '../scripts/facts.ts';
import type {OsFamily} from '../scripts/os.ts';

/**
What the install steps share during one run, beyond what the runner gives each step: the facts gather-facts
learns (preflight and the package steps read them), the clock, where the operator's files go. `kubeha apply`
makes one per run; the runner stays generic.
*/
export type InstallRun = {
	/**
	Distinct for every run. Steps whose result does not last (facts, preflight, join credentials that expire,
	the final checks) depend on it, so that a resumed run does them again instead of trusting the journal.
	*/
	readonly runId: string;
	/** Host name → facts; gather-facts fills it, later steps read it. */
	readonly facts: Map<string, HostFacts>;
	/** The operator's clock, in milliseconds (for the clock skew). */
	readonly now: () => number;
	/** The state directory beside cluster.yaml, where the operator's kubeconfig goes. */
	readonly stateDirectory: string;
	/**
	The runner's shell itself, not bound to a step: for output that must not become line events, like
	admin.conf with its private key.
	*/
	readonly shell: Shell;
	/** The cluster CA certificate (public), to tell this cluster's nodes from another cluster's. */
	readonly clusterCaCertificate: string;
};

/** A host's facts; the steps that need them run after gather-facts, which fails the run on a host it cannot read. */
export function factsOf(run: InstallRun, host: NodeSpec): HostFacts {
	const facts = run.facts.get(host.name);
	if (facts === undefined) {
		throw new Error(`no facts about ${host.name}: the gather-facts step has not run on it in this run.`);
	}

	return facts;
}

/** A host's package family; preflight has stopped the run on a host without one. */
export function familyOf(run: InstallRun, host: NodeSpec): OsFamily {
	const {family, os} = factsOf(run, host);
	if (family === undefined) {
		throw new Error(`${host.name} runs ${os.name}, which kubeha does not install on (see the preflight step).`);
	}

	return family;
}

/** `dependsOn` of a step that must run again in every run: its result does not outlast the run. */
export const everyRun = (run: InstallRun) => (): unknown => ({run: run.runId});
