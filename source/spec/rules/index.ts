import type {ClusterSpec} from '../cluster.ts';
import type {Finding} from '../finding.ts';
import {clusterSchema} from '../schema.ts';
import {addressRules} from './addresses.ts';
import {componentRules} from './components.ts';
import {keepalivedRules} from './keepalived.ts';
import {modeRules} from './modes.ts';
import {nameRules} from './names.ts';
import {portRules} from './ports.ts';
import type {Rule} from './rule.ts';
import {sshRules} from './ssh.ts';
import {subnetRules} from './subnets.ts';
import {topologyRules} from './topology.ts';
import {versionRules} from './version.ts';
import {vipRules} from './vip.ts';

export type {Rule} from './rule.ts';

const rules: readonly Rule[] = [
	...nameRules,
	...addressRules,
	...versionRules,
	...topologyRules,
	...vipRules,
	...subnetRules,
	...keepalivedRules,
	...portRules,
	...modeRules,
	...sshRules,
	...componentRules,
];

/** Top-level fields in the order the schema (and the wizard, and our examples) writes them. */
const sectionOrder = new Map(Object.keys(clusterSchema.shape).map((key, index) => [key, index]));

/** Where a finding sits in a file laid out like the examples: its section, then its node. */
function position(finding: Finding): [number, number] {
	const match = /^([^.[]*)(?:\[(\d+)])?/.exec(finding.path);
	const section = sectionOrder.get(match?.[1] ?? '') ?? -1;
	return [section, Number(match?.[2] ?? -1)];
}

/** Every finding of every rule, errors first, in the order of the file. */
export function validateSpec(spec: ClusterSpec): Finding[] {
	const findings = rules.flatMap((rule) => rule(spec));
	const positions = new Map(findings.map((finding) => [finding, position(finding)]));
	const rank = (finding: Finding): [number, number, number] => {
		const [section, node] = positions.get(finding) ?? [-1, -1];
		return [finding.severity === 'error' ? 0 : 1, section, node];
	};

	// Array.prototype.sort is stable, so findings at one place keep the order of the rules.
	return findings.sort((a, b) => {
		const [ra, rb] = [rank(a), rank(b)];
		return ra[0] - rb[0] || ra[1] - rb[1] || ra[2] - rb[2];
	});
}
