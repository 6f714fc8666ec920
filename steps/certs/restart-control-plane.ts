import {controlPlanePods, manifests, restartScript} from '../../source/certs/restart-script.ts';
import type {NodeSpec} from '../../source/spec/schema.ts';
import type {Step} from '../types.ts';

export const restartControlPlane = (node: NodeSpec): Step => ({
	id: `restart-control-plane-${node.name}`,
	title: `Restart the control-plane pods on ${node.name}`,
	hosts: () => [node],
	parallel: false,
	async run(ctx) {
		await ctx.shell.run(restartScript(ctx.spec, node));
	},
	dryRun: (view) => [
		`move ${controlPlanePods.join(', ')} manifests out of ${manifests} until the API server stops, then back`,
		`wait for https://${node.address}:${view.spec.apiServer.bindPort}/healthz`,
	],
});
