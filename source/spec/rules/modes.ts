import {type ClusterSpec, controlPlanes, hasRole, interfaceOf, vipHolders} from '../cluster.ts';
import {virtualRouterIdFor} from '../defaults.ts';
import {parseEndpoint} from '../endpoint.ts';
import {error, type Finding, show, warning} from '../finding.ts';
import type {loadBalancerModes} from '../schema.ts';
import {listNames, nodePath, type Rule} from './rule.ts';

type Mode = (typeof loadBalancerModes)[number];

const modeText = (mode: Mode): string => `loadBalancer.mode is ${show(mode)}`;

const interfaceRequired: Rule = (spec) => {
	const missing = vipHolders(spec).filter((node) => interfaceOf(spec, node) === undefined);
	if (missing.length === 0) {
		return [];
	}

	const what =
		spec.loadBalancer.mode === 'kube-vip'
			? 'kube-vip announces the VIP by ARP on an interface'
			: 'keepalived sends VRRP adverts and adds the VIP on an interface';
	return [
		error(
			'interface-required',
			'loadBalancer.interface',
			`neither loadBalancer.interface nor an interface of their own is set for ${listNames(missing.map((node) => node.name))}; ${what}, and kubeha cannot guess which one`,
			'set loadBalancer.interface to the interface that carries the nodes\' addresses (`ip -brief address` on a node shows it, e.g. "eth0"), or interface on each node where it differs.',
		),
	];
};

const externalEndpoint: Rule = (spec) => {
	if (spec.loadBalancer.mode !== 'external') {
		return [];
	}

	const {endpoint} = spec.loadBalancer;
	if (endpoint === undefined) {
		return [
			error(
				'endpoint-required',
				'loadBalancer.endpoint',
				`loadBalancer.endpoint is missing, but ${modeText('external')}, where an existing load balancer forwards to the API servers and kubeadm needs its address`,
				'add `endpoint: lb.example.com:6443` under loadBalancer (host and port of the load balancer), or choose the mode keepalived-haproxy or kube-vip with a vip.',
			),
		];
	}

	const parsed = parseEndpoint(endpoint);
	if (!parsed.ok) {
		return [
			error(
				'external-endpoint',
				'loadBalancer.endpoint',
				`loadBalancer.endpoint is ${show(endpoint)}, which ${parsed.reason}`,
				parsed.fix,
			),
		];
	}

	// The pitfall of pointing the endpoint at one control plane: the whole cluster then depends on that node.
	const target = controlPlanes(spec).find((node) => node.name === parsed.host || node.address === parsed.host);
	return target
		? [
				warning(
					'endpoint-is-node',
					'loadBalancer.endpoint',
					`loadBalancer.endpoint is ${show(endpoint)}, which is the control plane ${target.name} itself, not a load balancer: when ${target.name} is down, every other node loses the API`,
					'write the address of a load balancer that forwards to every control plane, or use loadBalancer.mode: keepalived-haproxy or kube-vip with a vip.',
				),
			]
		: [];
};

/** A loadBalancer field that only some modes use, and whether the spec sets it to anything but its default. */
type ModeField = {
	readonly path: string;
	readonly value: unknown;
	readonly isSet: boolean;
	readonly usedBy: readonly Mode[];
};

const keepalivedOnly: readonly Mode[] = ['keepalived-haproxy'];

function modeFields(spec: ClusterSpec): ModeField[] {
	const lb = spec.loadBalancer;
	const images = lb.images ?? {};
	return [
		{path: 'loadBalancer.vip', value: lb.vip, isSet: lb.vip !== undefined, usedBy: ['keepalived-haproxy', 'kube-vip']},
		{
			path: 'loadBalancer.interface',
			value: lb.interface,
			isSet: lb.interface !== undefined,
			usedBy: ['keepalived-haproxy', 'kube-vip'],
		},
		{path: 'loadBalancer.endpoint', value: lb.endpoint, isSet: lb.endpoint !== undefined, usedBy: ['external']},
		// zod fills the static defaults deploy: systemd and unicast: false, so only other values were written.
		{path: 'loadBalancer.deploy', value: lb.deploy, isSet: lb.deploy !== 'systemd', usedBy: keepalivedOnly},
		{path: 'loadBalancer.unicast', value: lb.unicast, isSet: lb.unicast, usedBy: keepalivedOnly},
		{path: 'loadBalancer.statsPort', value: lb.statsPort, isSet: lb.statsPort !== undefined, usedBy: keepalivedOnly},
		{
			path: 'loadBalancer.virtualRouterId',
			value: lb.virtualRouterId,
			isSet: lb.virtualRouterId !== virtualRouterIdFor(spec.name),
			usedBy: keepalivedOnly,
		},
		{
			path: 'loadBalancer.images.keepalived',
			value: images.keepalived,
			isSet: images.keepalived !== undefined,
			usedBy: keepalivedOnly,
		},
		{
			path: 'loadBalancer.images.haproxy',
			value: images.haproxy,
			isSet: images.haproxy !== undefined,
			usedBy: keepalivedOnly,
		},
		{
			path: 'loadBalancer.images.kubeVip',
			value: images.kubeVip,
			isSet: images.kubeVip !== undefined,
			usedBy: ['kube-vip'],
		},
	];
}

const ignoredLoadBalancerFields: Rule = (spec) => {
	const {mode} = spec.loadBalancer;
	return modeFields(spec).flatMap(({path, value, isSet, usedBy}) =>
		isSet && !usedBy.includes(mode)
			? [
					warning(
						'ignored-field',
						path,
						`${path} is ${show(value)}, but it only applies with loadBalancer.mode ${usedBy.map((used) => show(used)).join(' or ')}, and the mode is ${show(mode)}; kubeha ignores it`,
						`remove ${path}, or set loadBalancer.mode: ${usedBy[0]} if that is what you meant.`,
					),
				]
			: [],
	);
};

/** In external mode clients use the endpoint's port; a different loadBalancer.port would be silently unused. */
const ignoredPort: Rule = (spec) => {
	const {mode, endpoint, port} = spec.loadBalancer;
	const parsed = mode === 'external' && endpoint !== undefined ? parseEndpoint(endpoint) : undefined;
	return parsed?.ok && parsed.port !== port
		? [
				warning(
					'ignored-field',
					'loadBalancer.port',
					`loadBalancer.port is ${port}, but ${modeText('external')}, where clients use the port of loadBalancer.endpoint (${parsed.port}); kubeha ignores it`,
					`remove loadBalancer.port, or change the port in loadBalancer.endpoint if the load balancer listens on ${port}.`,
				),
			]
		: [];
};

const ignoredNodeFields: Rule = (spec) => {
	const {mode} = spec.loadBalancer;
	const holders = new Set(vipHolders(spec));
	const holderText =
		mode === 'kube-vip' ? 'with kube-vip only control planes hold the VIP' : 'only load-balancer nodes hold the VIP';
	return spec.nodes.flatMap((node, index): Finding[] => {
		const findings: Finding[] = [];
		if (node.interface !== undefined && !holders.has(node)) {
			const path = nodePath(index, 'interface');
			findings.push(
				warning(
					'ignored-field',
					path,
					mode === 'external'
						? `${path} is ${show(node.interface)}, but ${modeText(mode)}, where no node holds a VIP; kubeha ignores it`
						: `${path} is ${show(node.interface)}, but ${node.name} never holds the VIP (${holderText}); kubeha ignores it`,
					`remove ${path}.`,
				),
			);
		}

		if (mode !== 'keepalived-haproxy' && node.priority !== undefined) {
			const path = nodePath(index, 'priority');
			findings.push(
				warning(
					'ignored-field',
					path,
					`${path} is ${node.priority}, but keepalived priorities only apply with loadBalancer.mode "keepalived-haproxy", and the mode is ${show(mode)}; kubeha ignores it`,
					`remove ${path}.`,
				),
			);
		}

		if (mode !== 'keepalived-haproxy' && hasRole(node, 'load-balancer')) {
			const onlyRole = node.roles.every((role) => role === 'load-balancer');
			findings.push(
				warning(
					'ignored-field',
					nodePath(index, 'roles'),
					`${node.name} has the role load-balancer, but ${modeText(mode)}, which runs no keepalived or haproxy; the role is ignored${onlyRole ? `, and ${node.name} runs nothing` : ''}`,
					onlyRole
						? `remove ${node.name}, or set loadBalancer.mode: keepalived-haproxy if it should run haproxy and keepalived.`
						: `remove load-balancer from ${nodePath(index, 'roles')}, or set loadBalancer.mode: keepalived-haproxy.`,
				),
			);
		}

		return findings;
	});
};

export const modeRules: readonly Rule[] = [
	interfaceRequired,
	externalEndpoint,
	ignoredLoadBalancerFields,
	ignoredPort,
	ignoredNodeFields,
];
