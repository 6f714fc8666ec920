import type {ClusterSpec} from '../cluster.ts';
import {type Ipv4, type Ipv4Cidr, parseIpv4, parseIpv4Cidr} from '../net.ts';
import type {NodeSpec} from '../schema.ts';

/** The addresses and networks of a spec, parsed once and shared by the rules; the format rules report bad text. */

const addresses = new WeakMap<NodeSpec, Ipv4 | undefined>();

/** A node's address as a number, or undefined when `node-address` reports it. Cached per node object. */
export function addressOf(node: NodeSpec): Ipv4 | undefined {
	if (!addresses.has(node)) {
		const parsed = parseIpv4(node.address);
		addresses.set(node, parsed.ok ? parsed.value : undefined);
	}

	return addresses.get(node);
}

/** Modes that put a virtual IP on a node; `external` leaves the address to someone else's load balancer. */
export const usesVip = (spec: ClusterSpec): boolean => spec.loadBalancer.mode !== 'external';

/** The VIP as a network, in the modes that have one and when it is written right (`vip-address` says otherwise). */
export function parsedVip(spec: ClusterSpec): Ipv4Cidr | undefined {
	const {vip} = spec.loadBalancer;
	const parsed = usesVip(spec) && vip !== undefined ? parseIpv4Cidr(vip) : undefined;
	return parsed?.ok ? parsed.value : undefined;
}

export type SubnetField = 'podSubnet' | 'serviceSubnet';

/** What each cluster subnet is and what routes it, for messages; the defaults are kubeadm's and Calico's. */
export const subnetFacts = {
	podSubnet: {rule: 'pod-subnet', default: '10.244.0.0/16', routedBy: 'the pod network plugin routes'},
	serviceSubnet: {rule: 'service-subnet', default: '10.96.0.0/12', routedBy: 'kube-proxy captures'},
} as const satisfies Record<SubnetField, unknown>;

export const subnetFields: readonly SubnetField[] = ['podSubnet', 'serviceSubnet'];

/** A cluster subnet, when written right (`pod-subnet`/`service-subnet` say otherwise). */
export function parsedSubnet(spec: ClusterSpec, field: SubnetField): Ipv4Cidr | undefined {
	const parsed = parseIpv4Cidr(spec.kubernetes[field]);
	return parsed.ok ? parsed.value : undefined;
}
