import {error, type Finding, show} from '../finding.ts';
import {type AddressProblem, parseIpv4, unusableReason} from '../net.ts';
import {addressOf} from './networks.ts';
import {nodePath, type Rule} from './rule.ts';

const addressProblems: Record<AddressProblem, {readonly reason: string; readonly fix: (text: string) => string}> = {
	ipv6: {
		reason: 'is an IPv6 address; kubeha does not support IPv6 or dual-stack clusters yet',
		fix: () => "write the node's IPv4 address.",
	},
	'has-prefix': {
		reason: 'has a prefix length; a node address is a single address',
		fix: (text) =>
			`write ${show(text.split('/')[0] ?? text)} (the prefix belongs on loadBalancer.vip, which keepalived or kube-vip adds with it).`,
	},
	malformed: {
		reason:
			'is not an IPv4 address (four numbers 0-255 separated by dots, without leading zeros); kubeadm advertises the API server on it and the kubelet registers it as the node IP',
		fix: () =>
			'write the node\'s IPv4 address as a dotted quad such as "192.168.1.91" (a host name is not enough: kubeadm needs the address).',
	},
};

const nodeAddresses: Rule = (spec) =>
	spec.nodes.flatMap((node, index) => {
		const path = nodePath(index, 'address');
		const parsed = parseIpv4(node.address);
		if (!parsed.ok) {
			const {reason, fix} = addressProblems[parsed.problem];
			return [error('node-address', path, `${path} is ${show(node.address)}, which ${reason}`, fix(node.address))];
		}

		const unusable = unusableReason(parsed.value);
		return unusable
			? [
					error(
						'node-address',
						path,
						`${path} is ${show(node.address)}, which ${unusable}; the other nodes and the load balancer must reach ${node.name} at it`,
						`write the address ${node.name} has on the network it shares with the other nodes (\`ip -brief address\` on the host).`,
					),
				]
			: [];
	});

const duplicateNodeAddresses: Rule = (spec) => {
	const firstIndex = new Map<number, number>();
	const findings: Finding[] = [];
	for (const [index, node] of spec.nodes.entries()) {
		const address = addressOf(node);
		if (address === undefined) {
			continue;
		}

		const first = firstIndex.get(address);
		if (first === undefined) {
			firstIndex.set(address, index);
			continue;
		}

		const firstName = spec.nodes[first]?.name ?? '';
		findings.push(
			error(
				'duplicate-node-address',
				nodePath(index, 'address'),
				`${nodePath(index, 'address')} is ${show(node.address)}, the address of ${firstName} (${nodePath(first)}) too; two nodes cannot share an address, kubeha would install both on one host`,
				node.name === firstName
					? `remove the duplicate entry for ${node.name}.`
					: `write ${node.name}'s own address, or remove one of the two entries if they are the same host.`,
			),
		);
	}

	return findings;
};

export const addressRules: readonly Rule[] = [nodeAddresses, duplicateNodeAddresses];
