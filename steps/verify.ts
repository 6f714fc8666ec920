import type {ClusterSpec} from '../source/spec/cluster.ts';
import {failedChecks, verificationsOf, verifyScript} from './scripts/verify.ts';
import {everyRun, type InstallRun} from './support/install-run.ts';
import type {BundlePart} from './support/plan-step.ts';
import type {Step} from './types.ts';

const title = 'Verify the cluster (nodes Ready, API through the endpoint, etcd, haproxy, VIP)';
const hosts = (spec: ClusterSpec) => spec.nodes.filter((node) => verificationsOf(spec, node).length > 0);

/**
The cluster as the operator will use it: nodes registered and Ready, the API through the endpoint, etcd
healthy, haproxy sending to every API server, the VIP where keepalived's priorities put it. Every run, all checks
on each host, then one failure naming what did not hold.
*/
export function verify(run: InstallRun): Step {
	return {
		id: 'verify',
		title,
		hosts,
		parallel: true,
		dependsOn: everyRun(run),
		async run(ctx) {
			const result = await ctx.shell.run(verifyScript(verificationsOf(ctx.spec, ctx.host)), {nothrow: true});
			if (result.exitCode !== 0) {
				const failed = failedChecks(result.stderr);
				throw new Error(
					`on ${ctx.host.name}, ${failed.length > 0 ? failed.join('; ') : `the checks ended with exit code ${result.exitCode}`}: see the lines above.`,
				);
			}
		},
		dryRun: (view) => verificationsOf(view.spec, view.host).map((check) => `check: ${check.what}`),
	};
}

/** apply.sh runs the same checks when asked (`apply.sh verify`), once every node has run its install. */
export const verifyBundle: BundlePart = {
	id: 'verify',
	title,
	hosts,
	argument: 'verify',
	script: (view) => verifyScript(verificationsOf(view.spec, view.host)),
};
