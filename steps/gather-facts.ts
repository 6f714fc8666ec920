import {vipAddress, vipHolders} from '../source/spec/cluster.ts';
import {describeFacts, factsScript, parseFacts} from './scripts/facts.ts';
import {everyRun, type InstallRun} from './support/install-run.ts';
import type {Step} from './types.ts';

/**
Reads every node (system, architecture, addresses, swap, listening ports, what kubeadm or etcd left, service
states, versions, clock) into the run's facts, for preflight and the steps that depend on the system. It
changes nothing. Every run: a host may have changed since the last one.
*/
export function gatherFacts(run: InstallRun): Step {
	return {
		id: 'gather-facts',
		title: 'Gather facts from every node',
		hosts: (spec) => spec.nodes,
		parallel: true,
		dependsOn: everyRun(run),
		async run(ctx) {
			const probeVip = vipHolders(ctx.spec).some((node) => node.name === ctx.host.name);
			const before = run.now();
			// The raw shell: the facts are data (os-release, ip -j …), not progress worth a line each.
			const {stdout} = await run.shell.run(ctx.host, factsScript(probeVip ? vipAddress(ctx.spec) : undefined), {
				signal: ctx.signal,
			});
			const facts = parseFacts(stdout, (before + run.now()) / 2 / 1000);
			run.facts.set(ctx.host.name, facts);
			ctx.emit(describeFacts(facts));
		},
		dryRun: (view) => [
			`read the system: /etc/os-release, uname -m, ip -j address, /proc/swaps, ss -Htlnp, kubeadm and etcd state files, service states, versions, date +%s${vipHolders(view.spec).some((node) => node.name === view.host.name) ? `, ping ${vipAddress(view.spec)}` : ''}`,
		],
	};
}
