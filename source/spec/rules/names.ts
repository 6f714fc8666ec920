import {error, type Finding, show} from '../finding.ts';
import {dnsLabelProblem, dnsSubdomainProblem, hostProblem, toDnsLabel, toDnsSubdomain} from '../net.ts';
import {nodePath, type Rule} from './rule.ts';

const clusterName: Rule = (spec) => {
	const problem = dnsLabelProblem(spec.name);
	if (!problem) {
		return [];
	}

	return [
		error(
			'cluster-name',
			'name',
			`name is ${show(spec.name)}, which ${problem}; the cluster name must be a DNS-1123 label, since kubeadm and kubeha use it in resource and file names`,
			`write ${show(toDnsLabel(spec.name) ?? 'prod')}: lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters.`,
		),
	];
};

const nodeNames: Rule = (spec) =>
	spec.nodes.flatMap((node, index) => {
		const problem = dnsSubdomainProblem(node.name);
		if (!problem) {
			return [];
		}

		const suggestion = toDnsSubdomain(node.name) ?? `node${index + 1}`;
		return [
			error(
				'node-name',
				nodePath(index, 'name'),
				`${nodePath(index, 'name')} is ${show(node.name)}, which ${problem}; it becomes the Kubernetes node name, which must be a lowercase DNS-1123 subdomain`,
				`write ${show(suggestion)} (and set the host's hostname to match, so kubelet and kubeadm agree).`,
			),
		];
	});

const duplicateNodeNames: Rule = (spec) => {
	const firstIndex = new Map<string, number>();
	const findings: Finding[] = [];
	for (const [index, node] of spec.nodes.entries()) {
		const first = firstIndex.get(node.name);
		if (first === undefined) {
			firstIndex.set(node.name, index);
			continue;
		}

		findings.push(
			error(
				'duplicate-node-name',
				nodePath(index, 'name'),
				`${nodePath(index, 'name')} is ${show(node.name)}, the same as ${nodePath(first, 'name')}; Kubernetes node names are unique, so the second node would take over the first one's Node object`,
				`give each node its own name, e.g. ${show(`${node.name}-${index + 1}`)}, or remove the duplicate entry.`,
			),
		);
	}

	return findings;
};

const dnsDomain: Rule = (spec) => {
	const domain = spec.kubernetes.dnsDomain;
	const problem = dnsSubdomainProblem(domain);
	if (!problem) {
		return [];
	}

	return [
		error(
			'dns-domain',
			'kubernetes.dnsDomain',
			`kubernetes.dnsDomain is ${show(domain)}, which ${problem}; kubeadm requires a DNS-1123 subdomain (service names become <service>.<namespace>.svc.${domain})`,
			`write ${show(toDnsSubdomain(domain) ?? 'cluster.local')}, or remove the field for the default "cluster.local".`,
		),
	];
};

/** kubeadm's own rule for certSANs: a DNS-1123 subdomain, a wildcard one (`*.example.com`), or an IP address. */
const certSans: Rule = (spec) =>
	spec.apiServer.certSANs.flatMap((san, index) => {
		const name = san.startsWith('*.') ? san.slice(2) : san;
		const problem = hostProblem(name, {allowIpv6: true});
		if (!problem) {
			return [];
		}

		const path = `apiServer.certSANs[${index}]`;
		const suggestion = toDnsSubdomain(name.replace(/^[a-z]+:\/\//i, '').replace(/:\d+$/, ''));
		return [
			error(
				'cert-san',
				path,
				`${path} is ${show(san)}, which ${problem}; a certificate SAN is a DNS name (optionally "*." in front) or an IP address`,
				suggestion
					? `write ${show(san.startsWith('*.') ? `*.${suggestion}` : suggestion)}, with no scheme, port or path.`
					: 'write a DNS name such as "api.example.com" or an IP address, or remove the entry.',
			),
		];
	});

/** Linux's dev_valid_name(): at most 15 bytes (IFNAMSIZ minus the NUL), no "/", ":" or whitespace, not "." or "..". */
function interfaceProblem(name: string): string | undefined {
	if (name === '') {
		return 'is empty';
	}

	const bytes = new TextEncoder().encode(name).length;
	if (bytes > 15) {
		return `is ${bytes} bytes long, and Linux interface names have at most 15`;
	}

	if (name.includes(':')) {
		return 'has ":", which marks an address label (eth0:1) rather than an interface; keepalived and kube-vip add the VIP to the interface itself';
	}

	if (/[/\s]/.test(name)) {
		return 'has "/" or whitespace, which Linux interface names cannot contain';
	}

	return name === '.' || name === '..' ? 'is not a valid interface name' : undefined;
}

const interfaceFix = (name: string): string => {
	const base = name.split(':')[0]?.trim().replaceAll(/[/\s]/g, '');
	return base && !interfaceProblem(base)
		? `write ${show(base)}, the interface name as \`ip -brief link\` prints it.`
		: 'write the interface name as `ip -brief link` prints it on the node, e.g. "eth0" or "ens192".';
};

const interfaceNames: Rule = (spec) => {
	const named = [
		{path: 'loadBalancer.interface', name: spec.loadBalancer.interface},
		...spec.nodes.map((node, index) => ({path: nodePath(index, 'interface'), name: node.interface})),
	];
	return named.flatMap(({path, name}) => {
		if (name === undefined) {
			return [];
		}

		const problem = interfaceProblem(name);
		return problem
			? [error('interface-name', path, `${path} is ${show(name)}, which ${problem}`, interfaceFix(name))]
			: [];
	});
};

export const nameRules: readonly Rule[] = [
	clusterName,
	nodeNames,
	duplicateNodeNames,
	dnsDomain,
	certSans,
	interfaceNames,
];
