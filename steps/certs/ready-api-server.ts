import type {NodeSpec} from '../../source/spec/schema.ts';
import type {Step} from '../types.ts';
import {haproxyNodes, setServerStateScript, waitServerUpScript} from './haproxy-server-state.ts';

/** Every haproxy sends to the restarted API server again, and the next control plane waits until each has it UP. */
export const readyApiServer = (node: NodeSpec): Step => ({
	id: `ready-api-server-${node.name}`,
	title: `Send to ${node.name}'s API server again, and wait until haproxy has it UP`,
	hosts: haproxyNodes,
	parallel: true,
	async run(ctx) {
		await ctx.shell.run(setServerStateScript(node.name, 'ready'));
		await ctx.shell.run(waitServerUpScript(node.name));
	},
	dryRun: () => [`haproxy: set server kube-apiserver/${node.name} state ready`, 'wait until it is UP'],
});
