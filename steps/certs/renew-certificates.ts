import type {NodeSpec} from '../../source/spec/schema.ts';
import type {Step} from '../types.ts';

/**
`kubeadm certs renew all` on one control plane: every certificate of its PKI and its kubeconfig files, a year
from now, unconditionally (running it again after an interruption only renews them again). Nothing running
reloads them: restart-control-plane does that next.
*/
export const renewCertificates = (node: NodeSpec): Step => ({
	id: `renew-certificates-${node.name}`,
	title: `Renew kubeadm's certificates on ${node.name}`,
	hosts: () => [node],
	parallel: false,
	async run(ctx) {
		await ctx.$`kubeadm certs renew all`;
	},
	dryRun: () => [
		'kubeadm certs renew all (its PKI and admin.conf, super-admin.conf, controller-manager.conf, scheduler.conf)',
	],
});
