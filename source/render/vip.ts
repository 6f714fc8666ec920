import {type ClusterSpec, interfaceOf, vipAddress} from '../spec/cluster.ts';
import type {NodeSpec} from '../spec/schema.ts';

/** The spec rules require a VIP in keepalived-haproxy and kube-vip modes; the renderer only refuses to go on. */
const missingVip = (): Error => new Error('loadBalancer.vip is missing: validate the spec before rendering');

/** The VIP as keepalived writes it, with its prefix length (`192.168.1.94/24`). */
export function vipWithPrefix(spec: ClusterSpec): string {
	if (spec.loadBalancer.vip === undefined) {
		throw missingVip();
	}

	return spec.loadBalancer.vip;
}

/** The VIP without its prefix length (`192.168.1.94`), as kube-vip takes it. */
export function vipOnly(spec: ClusterSpec): string {
	const address = vipAddress(spec);
	if (address === undefined) {
		throw missingVip();
	}

	return address;
}

/** The interface a node holds the VIP on and sends VRRP adverts or ARP from. */
export function vipInterface(spec: ClusterSpec, node: NodeSpec): string {
	const name = interfaceOf(spec, node);
	if (name === undefined) {
		throw new Error(
			`node ${node.name} has no interface (nodes[].interface or loadBalancer.interface): validate the spec before rendering`,
		);
	}

	return name;
}
