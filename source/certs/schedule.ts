import {timerFiles} from '../render/template.ts';
import type {RenderedFile, Templates} from '../render/types.ts';
import {sh} from '../runner/shell.ts';
import {type ClusterSpec, controlPlanes} from '../spec/cluster.ts';
import type {NodeSpec} from '../spec/schema.ts';
import {restartScript} from './restart-script.ts';

export const renewalUnit = 'kubeha-certs-renew';
export const renewalPaths = {
	script: `/usr/local/sbin/${renewalUnit}`,
	service: `/etc/systemd/system/${renewalUnit}.service`,
	timer: `/etc/systemd/system/${renewalUnit}.timer`,
} as const;

/** The timer renews once the earliest certificate has fewer days left than this; status warns under 30. */
export const defaultMarginDays = 30;
/** kubeadm's certificates last 365 days: a margin of a year or more would renew every day. */
export const maxMarginDays = 300;

/** The first control plane checks at 03:00 UTC; the others after it, spread over the day. */
const firstCheckMinute = 3 * 60;
const minutesPerDay = 24 * 60;

/**
When each control plane's timer fires, as `HH:MM` UTC: a day split evenly between them in the spec's order
(3 control planes: 03:00, 11:00, 19:00). Deterministic, unlike kubespray's RandomizedDelaySec scaled by their
number, so two never restart together: a restart waits at most 3 minutes, and they are hours apart.
*/
export function renewalTimes(spec: ClusterSpec): Map<string, string> {
	const nodes = controlPlanes(spec);
	const spacing = Math.floor(minutesPerDay / Math.max(nodes.length, 1));
	return new Map(
		nodes.map((node, index) => {
			const minute = (firstCheckMinute + index * spacing) % minutesPerDay;
			const time = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
			return [node.name, time];
		}),
	);
}

/** The renewal on one control plane: the script, its oneshot service and its daily timer at the node's time. */
export function renewalScheduleFiles(
	context: {readonly spec: ClusterSpec; readonly templates: Templates},
	node: NodeSpec,
	marginDays: number,
): RenderedFile[] {
	const {spec} = context;
	const view = {
		cluster: spec.name,
		node: node.name,
		time: renewalTimes(spec).get(node.name) ?? '03:00',
		marginDays,
		marginSeconds: marginDays * 86_400,
		script: renewalPaths.script,
		timer: `${renewalUnit}.timer`,
		restart: restartScript(spec, node),
	};
	return timerFiles(context, view, [
		{path: renewalPaths.script, template: 'certs-renew.sh.mustache', mode: 0o700},
		{path: renewalPaths.service, template: 'certs-renew.service.mustache', mode: 0o644},
		{path: renewalPaths.timer, template: 'certs-renew.timer.mustache', mode: 0o644},
	]);
}

/** Starts the timer once its files are in place; it runs nothing now (a renewal now would restart every node at once). */
export const activateRenewalScript = [
	'systemctl daemon-reload',
	sh`systemctl enable --now ${`${renewalUnit}.timer`}`,
	sh`systemctl list-timers --all --no-pager ${`${renewalUnit}.timer`}`,
].join('\n');
