import {mkdir} from 'node:fs/promises';
import {join, resolve} from 'node:path';
import {installSchedule} from '../backup/install-schedule.ts';
import {type BackupSchedule, defaultKeep, type ScheduleInterval, scheduleIntervals} from '../backup/schedule.ts';
import {takeBackup} from '../backup/take-backup.ts';
import {UserError} from '../io/user-error.ts';
import type {SessionDependencies} from '../session/dependencies.ts';
import type {CommandOutput} from '../session/output.ts';
import {prepare} from '../session/prepare.ts';
import {openSession, type SessionOptions} from '../session/session.ts';

export type BackupOptions = SessionOptions & {
	readonly outputDir?: string;
	readonly schedule?: string;
	readonly keep?: string;
};

/**
`kubeha backup`: an etcd snapshot from one healthy member, copied to this machine with its checksum; with
`--schedule`, a systemd timer on every member that keeps the newest snapshots there instead.
*/
export async function backupCommand(
	options: BackupOptions,
	output: CommandOutput,
	dependencies: SessionDependencies,
): Promise<number> {
	const session = openSession(options, output, dependencies);
	const schedule = scheduleOf(options);
	const {spec, templates} = await prepare(options.config, output);
	return session.withShell(spec, async (shell) => {
		if (schedule) {
			await installSchedule({spec, templates, shell, schedule, say: output.out});
			output.out(
				`each etcd member of ${spec.name} now takes a snapshot ${schedule.every} into /var/backups/etcd and keeps the newest ${schedule.keep}. Those copies die with their node: run kubeha backup from here too, and keep its files off the cluster.`,
			);
			return 0;
		}

		const outputDirectory = resolve(options.outputDir ?? join(session.stateDirectory, 'backups'));
		await mkdir(outputDirectory, {recursive: true, mode: 0o700});
		const backup = await takeBackup({
			spec,
			shell,
			outputDirectory,
			time: new Date(dependencies.now()),
			say: output.out,
		});
		output.out(
			`etcd snapshot of ${spec.name} from ${backup.node}: ${backup.file} (revision ${backup.snapshot.status.revision}), checksum in ${backup.checksumFile}. It holds every Secret of the cluster: keep it where only you can read it, and off the cluster's nodes.`,
		);
		return 0;
	});
}

/** The schedule the flags ask for, or none; a flag that makes no sense with the others is the operator's to fix. */
function scheduleOf(options: BackupOptions): BackupSchedule | undefined {
	const {schedule, keep} = options;
	if (schedule === undefined) {
		if (keep !== undefined) {
			throw new UserError(
				`--keep ${keep} counts the snapshots a scheduled backup keeps on each member, but there is no --schedule: add --schedule daily (or hourly), or leave out --keep.`,
			);
		}

		return undefined;
	}

	if (!scheduleIntervals.includes(schedule as ScheduleInterval)) {
		throw new UserError(
			`--schedule ${JSON.stringify(schedule)} is not a schedule: use ${scheduleIntervals.join(' or ')}.`,
		);
	}

	if (options.outputDir !== undefined) {
		throw new UserError(
			`--output-dir ${options.outputDir} is where kubeha backup copies a snapshot now, but --schedule keeps the snapshots on the members (/var/backups/etcd): run the two separately.`,
		);
	}

	const count = keep === undefined ? defaultKeep : Number(keep);
	if (!Number.isInteger(count) || count < 1) {
		throw new UserError(
			`--keep ${JSON.stringify(keep)} is not a whole number from 1 up (how many snapshots each member keeps; default ${defaultKeep}).`,
		);
	}

	return {every: schedule as ScheduleInterval, keep: count};
}
