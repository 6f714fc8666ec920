import type {Templates} from '../render/types.ts';
import {bindShell, type Shell} from '../runner/shell.ts';
import {writeFile} from '../runner/write-file.ts';
import type {ClusterSpec} from '../spec/cluster.ts';
import {etcdAccesses} from './etcd-access.ts';
import {activateScheduleScript, type BackupSchedule, scheduleFiles} from './schedule.ts';

/**
Installs the scheduled backup on every etcd member at once (each keeps its own snapshots, so losing a node loses
none of the others') and runs it once on each, saying the newest snapshot of each.
*/
export async function installSchedule(request: {
	readonly spec: ClusterSpec;
	readonly templates: Templates;
	readonly shell: Shell;
	readonly schedule: BackupSchedule;
	readonly say: (text: string) => void;
}): Promise<void> {
	const {spec, schedule, say} = request;
	await Promise.all(
		etcdAccesses(spec).map(async (access) => {
			const host = bindShell(request.shell, access.node);
			for (const file of scheduleFiles({spec, templates: request.templates}, access, schedule)) {
				if (await writeFile(host, file)) {
					say(`${access.node.name}: wrote ${file.path}`);
				}
			}

			const {stdout} = await host.run(activateScheduleScript);
			const snapshots = stdout.split('\n').filter((line) => line.endsWith('.db'));
			say(
				`${access.node.name}: ${schedule.every} snapshots scheduled, keeping ${schedule.keep}; the newest is ${snapshots.at(-1) ?? '(none)'}`,
			);
		}),
	);
}
