import {activateRenewalScript, renewalScheduleFiles, renewalTimes} from '../../source/certs/schedule.ts';
import type {Templates} from '../../source/render/types.ts';
import {writeFile} from '../../source/runner/write-file.ts';
import {controlPlanes} from '../../source/spec/cluster.ts';
import type {Step} from '../types.ts';

/**
`--schedule`: a daily timer on every control plane, each at its own time, that renews the certificates once the
earliest has fewer than `marginDays` left and restarts that control plane alone. Installing it renews nothing.
*/
export const scheduleRenewal = (templates: Templates, marginDays: number): Step => ({
	id: 'schedule-renewal',
	title: `Schedule the renewal within ${marginDays} days of expiry on every control plane`,
	hosts: controlPlanes,
	parallel: true,
	dependsOn: (view) => ({node: view.host.name, times: [...renewalTimes(view.spec)], marginDays}),
	async run(ctx) {
		for (const file of renewalScheduleFiles({spec: ctx.spec, templates}, ctx.host, marginDays)) {
			if (await writeFile(ctx.shell, file)) ctx.emit(`wrote ${file.path}`);
		}
		await ctx.shell.run(activateRenewalScript);
	},
	dryRun: (view) => [
		`a daily check at ${renewalTimes(view.spec).get(view.host.name)} UTC: kubeadm certs renew all and a restart of its control plane once a certificate has less than ${marginDays} days left`,
	],
});
