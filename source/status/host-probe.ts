import {vipInterface, vipOnly} from '../render/vip.ts';
import {type ClusterSpec, etcdMembers, hasRole, vipHolders} from '../spec/cluster.ts';
import type {NodeSpec} from '../spec/schema.ts';
import {healthzCommand, parseHealthz} from './checks/api-server.ts';
import {certificateExpiryCommand, parseCertificateExpiry} from './checks/certificates.ts';
import {etcdHealthScript, etcdStatusScript, parseEtcd} from './checks/etcd.ts';
import {haproxyStatCommand, parseHaproxyStat} from './checks/haproxy.ts';
import {keepalivedScript, parseKeepalived} from './checks/keepalived.ts';
import {holdsVip, vipAddressesCommand} from './checks/vip.ts';
import {type Check, checksScript, type SectionOutput, splitSections} from './sections.ts';
import type {HostStatus} from './types.ts';

/** What a node runs, so what the probe asks it. */
export type NodeParts = {
	readonly vip: boolean;
	readonly loadBalancer: boolean;
	readonly apiServer: boolean;
	readonly etcd: boolean;
};

export const partsOf = (spec: ClusterSpec, node: NodeSpec): NodeParts => ({
	vip: vipHolders(spec).some((holder) => holder.name === node.name),
	loadBalancer: spec.loadBalancer.mode === 'keepalived-haproxy' && hasRole(node, 'load-balancer'),
	apiServer: hasRole(node, 'control-plane'),
	etcd: etcdMembers(spec).some((member) => member.name === node.name),
});

/** The one script that asks a node everything the status needs about it. */
export function hostProbeScript(spec: ClusterSpec, node: NodeSpec): string {
	const parts = partsOf(spec, node);
	const checks: Check[] = [
		{name: 'hostname', script: 'hostname'},
		...(parts.vip ? [{name: 'vip', script: vipAddressesCommand(vipInterface(spec, node))}] : []),
		...(parts.loadBalancer
			? [
					{name: 'keepalived', script: keepalivedScript},
					{name: 'haproxy', script: haproxyStatCommand},
				]
			: []),
		...(parts.apiServer
			? [
					{name: 'api-server', script: healthzCommand(node.address, spec.apiServer.bindPort)},
					{name: 'certificates', script: certificateExpiryCommand},
				]
			: []),
		...(parts.etcd
			? [
					{name: 'etcd-health', script: etcdHealthScript(node.address)},
					{name: 'etcd-status', script: etcdStatusScript(node.address)},
				]
			: []),
	];
	return checksScript(checks);
}

/** The node's status from the probe's output; a check whose section is missing reads as failed without output. */
export function parseHostProbe(spec: ClusterSpec, node: NodeSpec, stdout: string): HostStatus {
	const parts = partsOf(spec, node);
	const sections = splitSections(stdout);
	const section = (name: string): SectionOutput =>
		sections.get(name) ?? {text: `the probe printed no ${name} section`, exitCode: -1};
	const hostname = sections.get('hostname')?.text.trim();
	return {
		node: node.name,
		address: node.address,
		reachable: true,
		...(hostname ? {hostname} : {}),
		...(parts.vip ? {vipHeld: holdsVip(section('vip'), vipOnly(spec))} : {}),
		...(parts.loadBalancer
			? {
					loadBalancer: {
						keepalived: parseKeepalived(section('keepalived')),
						haproxy: parseHaproxyStat(section('haproxy')),
					},
				}
			: {}),
		...(parts.apiServer
			? {apiServer: parseHealthz(section('api-server')), certificates: parseCertificateExpiry(section('certificates'))}
			: {}),
		...(parts.etcd ? {etcd: parseEtcd(section('etcd-health'), section('etcd-status'))} : {}),
	};
}
