import {runsKubelet} from '../cluster.ts';
import {error, type Finding, show, warning} from '../finding.ts';
import {
	blockSize,
	type CidrProblem,
	containsAddress,
	formatNetwork,
	type Ipv4Cidr,
	networkAround,
	overlaps,
	parseIpv4Cidr,
} from '../net.ts';
import {addressOf, parsedSubnet, parsedVip, type SubnetField, subnetFacts, subnetFields} from './networks.ts';
import {count, listNames, type Rule} from './rule.ts';

const cidrReasons: Record<CidrProblem, string> = {
	ipv6: 'is an IPv6 network; kubeha does not support IPv6 or dual-stack clusters yet',
	'no-prefix': 'has no prefix length',
	'bad-prefix': 'has a prefix length that is not a number from 0 to 32',
	malformed: 'is not an IPv4 network (address/prefix)',
};

const subnetFormat: Rule = (spec) =>
	subnetFields.flatMap((field): Finding[] => {
		const text = spec.kubernetes[field];
		const parsed = parseIpv4Cidr(text);
		const {rule, default: fallback} = subnetFacts[field];
		const path = `kubernetes.${field}`;
		if (!parsed.ok) {
			return [
				error(
					rule,
					path,
					`${path} is ${show(text)}, which ${cidrReasons[parsed.problem]}`,
					`write an IPv4 network with its prefix length, e.g. ${show(fallback)} (the default when the field is absent).`,
				),
			];
		}

		return parsed.value.address === parsed.value.first
			? []
			: [
					warning(
						'subnet-host-bits',
						path,
						`${path} is ${show(text)}, which has host bits set; Kubernetes reads it as ${formatNetwork(parsed.value)}`,
						`write ${show(formatNetwork(parsed.value))}.`,
					),
				];
	});

/** kube-controller-manager gives every node a /24 of the pod subnet (--node-cidr-mask-size, IPv4 default). */
const nodeCidrPrefix = 24;
/** kubeadm refuses a pod subnet more than 16 bits wider than the node mask (an uncompressed bitmap, k/k #44918). */
const maxNodeMaskDifference = 16;

const podSubnetSize: Rule = (spec) => {
	const pod = parsedSubnet(spec, 'podSubnet');
	if (!pod) {
		return [];
	}

	const path = 'kubernetes.podSubnet';
	const value = show(spec.kubernetes.podSubnet);
	const kubelets = spec.nodes.filter((node) => runsKubelet(node)).length;
	const widened = (prefix: number): string => show(formatNetwork(networkAround(pod.first, prefix)));
	if (pod.prefix > nodeCidrPrefix) {
		return [
			error(
				'pod-subnet-size',
				path,
				`${path} is ${value}, smaller than the /${nodeCidrPrefix} that kube-controller-manager gives each node, so no node gets a pod range`,
				`write a /${neededPrefix(kubelets)} or larger, e.g. ${widened(Math.min(16, neededPrefix(kubelets)))}.`,
			),
		];
	}

	if (nodeCidrPrefix - pod.prefix > maxNodeMaskDifference) {
		return [
			error(
				'pod-subnet-size',
				path,
				`${path} is ${value}; kubeadm refuses a pod subnet more than ${maxNodeMaskDifference} bits larger than the /${nodeCidrPrefix} node ranges`,
				`write a /${nodeCidrPrefix - maxNodeMaskDifference} or smaller, e.g. ${widened(16)}.`,
			),
		];
	}

	const ranges = blockSize(pod.prefix) / blockSize(nodeCidrPrefix);
	return ranges < kubelets
		? [
				error(
					'pod-subnet-size',
					path,
					`${path} is ${value}, room for ${count(ranges, `/${nodeCidrPrefix} node range`)}, but ${count(kubelets, 'node')} run a kubelet and each needs one; the rest would get no pod addresses`,
					`write a /${neededPrefix(kubelets)} or larger, e.g. ${widened(neededPrefix(kubelets))}.`,
				),
			]
		: [];
};

/** The longest pod subnet prefix that still holds a /24 for every kubelet. */
const neededPrefix = (kubelets: number): number =>
	Math.max(nodeCidrPrefix - maxNodeMaskDifference, nodeCidrPrefix - Math.ceil(Math.log2(Math.max(kubelets, 1))));

/** kube-apiserver refuses a service range of more than 20 host bits ("the mask must be >= 12"). */
const minServicePrefix = 12;
/** kubeadm gives cluster DNS the 10th address of the service subnet, so it needs at least 16 addresses. */
const maxServicePrefix = 28;

const serviceSubnetSize: Rule = (spec) => {
	const service = parsedSubnet(spec, 'serviceSubnet');
	if (!service) {
		return [];
	}

	const path = 'kubernetes.serviceSubnet';
	const value = show(spec.kubernetes.serviceSubnet);
	if (service.prefix < minServicePrefix) {
		return [
			error(
				'service-subnet-size',
				path,
				`${path} is ${value}; kube-apiserver refuses a service range larger than a /${minServicePrefix} ("the mask must be >= ${minServicePrefix}")`,
				`write a /${minServicePrefix} or smaller, e.g. ${show(formatNetwork(networkAround(service.first, minServicePrefix)))}.`,
			),
		];
	}

	return service.prefix > maxServicePrefix
		? [
				error(
					'service-subnet-size',
					path,
					`${path} is ${value}, ${count(blockSize(service.prefix), 'address', 'addresses')}; kubeadm gives cluster DNS the 10th address of the service subnet, which needs a /${maxServicePrefix} or larger`,
					`write a larger range, e.g. ${show(formatNetwork(networkAround(service.first, 16)))}.`,
				),
			]
		: [];
};

/** A range of the same size that avoids the given networks, for fixes: the default first, then 10.0.0.0/8 in order. */
function freeSubnet(field: SubnetField, prefix: number, avoid: readonly Ipv4Cidr[]): string | undefined {
	const isFree = (candidate: Ipv4Cidr): boolean => !avoid.some((other) => overlaps(candidate, other));
	const fallback = parseIpv4Cidr(subnetFacts[field].default);
	if (fallback.ok && fallback.value.prefix === prefix && isFree(fallback.value)) {
		return subnetFacts[field].default;
	}

	const ten = 10 * 2 ** 24;
	const step = blockSize(prefix);
	// A bounded scan: a handful of networks to avoid leaves a free block among the first few.
	for (let first = ten, tries = 0; first < ten + 2 ** 24 && tries < 4096; first += step, tries++) {
		const candidate = networkAround(first, prefix);
		if (isFree(candidate)) {
			return formatNetwork(candidate);
		}
	}

	return undefined;
}

const subnetOverlap: Rule = (spec) => {
	const pod = parsedSubnet(spec, 'podSubnet');
	const service = parsedSubnet(spec, 'serviceSubnet');
	const vip = parsedVip(spec);
	const nodes = spec.nodes.flatMap((node) => {
		const address = addressOf(node);
		return address === undefined ? [] : [{node, address}];
	});
	// The /24 around each node stands for its network: the fix must not propose a range the hosts live in.
	const nodeNetworks = [
		...new Map(
			nodes.map(({address}) => {
				const network = networkAround(address, 24);
				return [network.first, network] as const;
			}),
		).values(),
	];
	const findings: Finding[] = [];
	const moveTo = (field: SubnetField, subnet: Ipv4Cidr): string => {
		const other = field === 'podSubnet' ? service : pod;
		const avoid = [...nodeNetworks, ...(vip ? [vip] : []), ...(other ? [other] : [])];
		const free = freeSubnet(field, subnet.prefix, avoid);
		return free
			? `move kubernetes.${field} to a range no host network uses, e.g. ${show(free)}.`
			: `move kubernetes.${field} to a range no host network uses.`;
	};

	if (pod && service && overlaps(pod, service)) {
		findings.push(
			error(
				'subnet-overlap',
				'kubernetes.podSubnet',
				`kubernetes.podSubnet ${show(spec.kubernetes.podSubnet)} overlaps kubernetes.serviceSubnet ${show(spec.kubernetes.serviceSubnet)}; a pod and a service could get the same address`,
				moveTo('podSubnet', pod),
			),
		);
	}

	for (const field of subnetFields) {
		const subnet = field === 'podSubnet' ? pod : service;
		if (!subnet) {
			continue;
		}

		const path = `kubernetes.${field}`;
		const inside = nodes.filter(({address}) => containsAddress(subnet, address));
		// Said once per subnet: node addresses inside say it best; a VIP address inside is vip-in-cluster-subnet's.
		if (inside.length > 0) {
			findings.push(
				error(
					'subnet-overlap',
					path,
					`${path} ${show(spec.kubernetes[field])} contains the address of ${listNames(inside.map(({node}) => `${node.name} (${node.address})`))}; ${subnetFacts[field].routedBy} those addresses inside the cluster, so traffic to the nodes would go astray`,
					moveTo(field, subnet),
				),
			);
		} else if (vip && overlaps(subnet, vip) && !containsAddress(subnet, vip.address)) {
			findings.push(
				error(
					'subnet-overlap',
					path,
					`${path} ${show(spec.kubernetes[field])} overlaps ${formatNetwork(vip)}, the network of loadBalancer.vip; ${subnetFacts[field].routedBy} those addresses inside the cluster, so hosts on that network would be unreachable from pods`,
					moveTo(field, subnet),
				),
			);
		}
	}

	return findings;
};

export const subnetRules: readonly Rule[] = [subnetFormat, podSubnetSize, serviceSubnetSize, subnetOverlap];
