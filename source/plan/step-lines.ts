import type {Step} from '../../steps/types.ts';
import type {ClusterSpec} from '../spec/cluster.ts';

/** What a list of steps would do, before the question: each step on each of its hosts, then its dry-run lines. */
export const stepLines = (spec: ClusterSpec, steps: readonly Step[]): string[] =>
	steps.flatMap((step, index) =>
		step
			.hosts(spec)
			.flatMap((host) => [
				`${String(index + 1).padStart(3)}. ${step.id} on ${host.name}`,
				...step.dryRun({host, spec, files: []}).map((line) => `       ${line}`),
			]),
	);
