import {createHash} from 'node:crypto';
import {preflightFindings} from './scripts/preflight-rules.ts';
import {everyRun, factsOf, type InstallRun} from './support/install-run.ts';
import type {Step} from './types.ts';

/**
Checks each node's facts against the spec (pure: `preflightFindings`) before anything changes: an error stops
the run with what to fix, a warning is said and the run goes on. Every run, like the facts it reads.
*/
export function preflight(run: InstallRun): Step {
	const clusterCaSha256 = createHash('sha256').update(run.clusterCaCertificate).digest('hex');
	return {
		id: 'preflight',
		title: 'Check the nodes against the spec before changing anything',
		hosts: (spec) => spec.nodes,
		parallel: true,
		dependsOn: everyRun(run),
		async run(ctx) {
			const findings = preflightFindings({
				spec: ctx.spec,
				host: ctx.host,
				facts: factsOf(run, ctx.host),
				all: run.facts,
				clusterCaSha256,
			});
			for (const finding of findings) {
				ctx.emit(`${finding.severity} [${finding.rule}] ${finding.path}: ${finding.message}. Fix: ${finding.fix}`);
			}

			const errors = findings.filter((finding) => finding.severity === 'error');
			if (errors.length > 0) {
				throw new Error(
					`${errors.length} preflight error${errors.length === 1 ? '' : 's'} on ${ctx.host.name} (nothing was changed): ${errors.map((finding) => finding.message).join('; ')}.`,
				);
			}
		},
		dryRun: () => [
			'check the facts against the spec: supported system, node address on an interface, VIP interface and subnet, nothing else answering at the VIP, ports free, clock skew, swap, containerd and kubeadm versions, no other cluster',
		],
	};
}
