import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {writeFileAtomic} from '../source/io/atomic-write.ts';
import {controlPlaneEndpoint} from '../source/spec/cluster.ts';
import {stateFiles} from './scripts/facts.ts';
import {operatorKubeconfig} from './scripts/kubeconfig.ts';
import {firstControlPlaneOnly} from './support/hosts.ts';
import type {InstallRun} from './support/install-run.ts';
import type {Step} from './types.ts';

/** Where the operator's kubeconfig goes, in the state directory. */
const kubeconfigPath = (run: Pick<InstallRun, 'stateDirectory'>): string => join(run.stateDirectory, 'admin.conf');

/**
Fetches admin.conf from the first control plane into the state directory (0600) as the operator's kubeconfig,
pointing at the control plane endpoint. kubeha does not merge it into ~/.kube/config: that file is the
operator's; the step says how to use or merge it. A replaced copy is kept as admin.conf.previous.
*/
export function kubeconfig(run: InstallRun): Step {
	return {
		id: 'kubeconfig',
		title: "Fetch the cluster admin's kubeconfig to this machine",
		hosts: firstControlPlaneOnly,
		parallel: false,
		async run(ctx) {
			// The raw shell: admin.conf holds the admin's private key, which must not become line events or logs.
			const {stdout} = await run.shell.run(ctx.host, `cat ${stateFiles.adminConf}`, {signal: ctx.signal});
			const path = kubeconfigPath(run);
			const content = operatorKubeconfig(stdout, ctx.spec);
			const current = await readFile(path, 'utf8').catch(() => undefined);
			if (current !== content) {
				await writeFileAtomic(path, content, 0o600);
			}

			ctx.emit(
				`${current === content ? 'unchanged' : 'wrote'} ${path} (context ${ctx.spec.name}, server https://${controlPlaneEndpoint(ctx.spec)}): use it with \`export KUBECONFIG=${path}\`, or merge it with \`KUBECONFIG=~/.kube/config:${path} kubectl config view --flatten > merged && mv merged ~/.kube/config\` (keep a copy first).`,
			);
		},
		dryRun: (view) => [
			`copy ${stateFiles.adminConf} to ${kubeconfigPath(run)} (0600), server https://${controlPlaneEndpoint(view.spec)}, context ${view.spec.name}`,
		],
	};
}
