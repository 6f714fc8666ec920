import {timerFiles} from '../render/template.ts';
import type {RenderedFile, Templates} from '../render/types.ts';
import {sh} from '../runner/shell.ts';
import type {ClusterSpec} from '../spec/cluster.ts';
import type {EtcdAccess} from './etcd-access.ts';
import {takeSnapshotFunction} from './snapshot-script.ts';

/** systemd calendar shorthands (systemd.time(7)) `--schedule` offers. */
export const scheduleIntervals = ['daily', 'hourly'] as const;
export type ScheduleInterval = (typeof scheduleIntervals)[number];

export type BackupSchedule = {
	readonly every: ScheduleInterval;
	/** How many snapshots each member keeps. */
	readonly keep: number;
};

/** A week of daily snapshots, or the last seven hours. */
export const defaultKeep = 7;

export const scheduledBackupUnit = 'kubeha-etcd-backup';
export const scheduledBackupPaths = {
	script: `/usr/local/sbin/${scheduledBackupUnit}`,
	service: `/etc/systemd/system/${scheduledBackupUnit}.service`,
	timer: `/etc/systemd/system/${scheduledBackupUnit}.timer`,
	/** Debian's place for local backups; made where it is missing. */
	directory: '/var/backups/etcd',
} as const;

/** The files of the scheduled backup on one member: the script, its oneshot service and the timer. */
export function scheduleFiles(
	context: {readonly spec: ClusterSpec; readonly templates: Templates},
	access: EtcdAccess,
	schedule: BackupSchedule,
): RenderedFile[] {
	const {spec} = context;
	const view = {
		cluster: spec.name,
		node: access.node.name,
		every: schedule.every,
		keep: schedule.keep,
		timer: `${scheduledBackupUnit}.timer`,
		script: scheduledBackupPaths.script,
		directory: scheduledBackupPaths.directory,
		prefix: `etcd-${spec.name}-${access.node.name}-`,
		takeSnapshot: takeSnapshotFunction(access),
	};
	return timerFiles(context, view, [
		{path: scheduledBackupPaths.script, template: 'etcd-backup.sh.mustache', mode: 0o700},
		{path: scheduledBackupPaths.service, template: 'etcd-backup.service.mustache', mode: 0o644},
		{path: scheduledBackupPaths.timer, template: 'etcd-backup.timer.mustache', mode: 0o644},
	]);
}

/**
Starts the schedule once its files are in place, and runs one backup at once (a oneshot start waits for it), so a
schedule that cannot work fails now rather than on its first night. Prints the snapshots the member keeps.
*/
export const activateScheduleScript = [
	'systemctl daemon-reload',
	sh`systemctl enable --now ${`${scheduledBackupUnit}.timer`}`,
	sh`systemctl start ${`${scheduledBackupUnit}.service`}`,
	`ls -1 ${sh`${scheduledBackupPaths.directory}`}/*.db`,
].join('\n');
