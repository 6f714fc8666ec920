import type {NodeSpec} from '../../source/spec/schema.ts';
import type {Step} from '../types.ts';
import {haproxyNodes, setServerStateScript} from './haproxy-server-state.ts';

/**
Every haproxy stops sending new connections to the control plane's API server before its pods restart, so that
no client of the VIP meets it going away (those open finish; haproxy's redispatch covers the rest).
*/
export const drainApiServer = (node: NodeSpec): Step => ({
	id: `drain-api-server-${node.name}`,
	title: `Drain ${node.name}'s API server in haproxy`,
	hosts: haproxyNodes,
	parallel: true,
	async run(ctx) {
		await ctx.shell.run(setServerStateScript(node.name, 'drain'));
	},
	dryRun: () => [`haproxy: set server kube-apiserver/${node.name} state drain`],
});
