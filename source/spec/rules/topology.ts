import {controlPlanes, etcdMembers, hasRole} from '../cluster.ts';
import {error, type Finding, show, warning} from '../finding.ts';
import {count, listNames, nodePath, type Rule} from './rule.ts';

function repeatedRoles(roles: readonly string[]): string[] {
	const seen = new Set<string>();
	const repeated = new Set<string>();
	for (const role of roles) {
		(seen.has(role) ? repeated : seen).add(role);
	}

	return [...repeated];
}

const nodeRoles: Rule = (spec) =>
	spec.nodes.flatMap((node, index): Finding[] => {
		const path = nodePath(index, 'roles');
		if (node.roles.length === 0) {
			return [
				error(
					'node-without-role',
					path,
					`${path} of ${node.name} is empty, so kubeha would install nothing on it`,
					`list what ${node.name} runs, e.g. \`roles: [worker]\` or \`roles: [control-plane]\`, or remove the node.`,
				),
			];
		}

		const unique = new Set(node.roles);
		const repeated = unique.size === node.roles.length ? [] : repeatedRoles(node.roles);
		return repeated.length === 0
			? []
			: [
					warning(
						'duplicate-role',
						path,
						`${path} of ${node.name} lists ${repeated.map((role) => show(role)).join(' and ')} more than once`,
						`list each role once: \`roles: [${[...unique].join(', ')}]\`.`,
					),
				];
	});

const controlPlaneRequired: Rule = (spec) => {
	if (controlPlanes(spec).length > 0) {
		return [];
	}

	return [
		error(
			'no-control-plane',
			'nodes',
			spec.nodes.length === 0
				? 'nodes is empty; a cluster needs at least one control plane'
				: `none of the ${count(spec.nodes.length, 'node')} has the role control-plane, so there is nowhere to run kubeadm init`,
			'give at least one node the role control-plane; three tolerate the failure of one.',
		),
	];
};

const etcdTopologyRoles: Rule = (spec) => {
	const etcdNodes = spec.nodes.flatMap((node, index) => (hasRole(node, 'etcd') ? [{node, index}] : []));
	if (spec.etcd.topology === 'external') {
		return etcdNodes.length > 0
			? []
			: [
					error(
						'external-etcd-members',
						'etcd.topology',
						'etcd.topology is "external", but no node has the role etcd, so there is no etcd cluster for the API servers',
						'give three nodes (or five) the role etcd, or set etcd.topology: stacked to run etcd on the control planes.',
					),
				];
	}

	return etcdNodes.map(({node, index}) =>
		error(
			'etcd-role-stacked',
			nodePath(index, 'roles'),
			`${node.name} has the role etcd, but etcd.topology is "stacked": etcd runs on the control planes, and the etcd role means a member of an external etcd cluster`,
			`set etcd.topology: external to run etcd on the nodes with the role etcd, or remove the role etcd from ${node.name}.`,
		),
	);
};

/** Quorum arithmetic, from etcd's FAQ: n members need floor(n/2)+1 and tolerate the rest failing. */
const quorumOf = (members: number): number => Math.floor(members / 2) + 1;

/** etcd's operations guide: more than seven members slow every write without a need for more tolerance. */
const maxRecommendedMembers = 7;

const etcdMemberCount: Rule = (spec) => {
	const members = etcdMembers(spec).length;
	const stacked = spec.etcd.topology === 'stacked';
	const who = stacked
		? `${count(members, 'control plane')} with stacked etcd (one etcd member each)`
		: `${count(members, 'etcd node')}`;
	const [unit, units] = stacked ? ['control plane', 'control planes'] : ['etcd node', 'etcd nodes'];
	const quorum = quorumOf(members);
	const tolerated = members - quorum;
	const findings: Finding[] = [];
	if (members === 2) {
		findings.push(
			warning(
				'etcd-member-count',
				'nodes',
				`${who}: 2 etcd members need both for quorum and tolerate no failure, so the cluster stops when either fails: twice the risk of a single member`,
				`add a third ${unit} (3 members need 2 and tolerate 1 failure), or use 1 if you do not need high availability.`,
			),
		);
	} else if (members > 2 && members % 2 === 0) {
		findings.push(
			warning(
				'etcd-member-count',
				'nodes',
				`${who}: ${members} members need ${quorum} for quorum and tolerate ${count(tolerated, 'failure')}, the same as ${members - 1}; the extra member is one more machine that can fail`,
				`use ${members - 1} or ${members + 1} ${units}.`,
			),
		);
	}

	if (members > maxRecommendedMembers) {
		findings.push(
			warning(
				'etcd-member-count',
				'nodes',
				`${who}: etcd recommends at most ${maxRecommendedMembers} members, since every write waits for ${quorum} of ${members} to agree`,
				stacked
					? 'use 5 or 7 control planes, or set etcd.topology: external with 5 or 7 etcd nodes so that etcd does not grow with the control planes.'
					: 'use 5 or 7 etcd nodes (7 tolerate 3 failures).',
			),
		);
	}

	return findings;
};

const etcdOnControlPlane: Rule = (spec) => {
	if (spec.etcd.topology !== 'external') {
		return [];
	}

	const both = spec.nodes.flatMap((node, index) =>
		hasRole(node, 'etcd') && hasRole(node, 'control-plane') ? [{node, index}] : [],
	);
	return both.map(({node, index}) =>
		warning(
			'etcd-on-control-plane',
			nodePath(index, 'roles'),
			`${node.name} has the roles control-plane and etcd, but etcd.topology is "external", whose point is to keep etcd apart from the control planes: a failure of ${node.name} takes out an API server and an etcd member at once`,
			`move the role etcd from ${node.name} to a node of its own, or set etcd.topology: stacked${both.length > 1 ? ` (${listNames(both.map(({node: other}) => other.name))} all carry both roles)` : ''}.`,
		),
	);
};

export const topologyRules: readonly Rule[] = [
	nodeRoles,
	controlPlaneRequired,
	etcdTopologyRoles,
	etcdMemberCount,
	etcdOnControlPlane,
];
