// Test fixture for the lab's kube-apiserver stand-in: the kubelet's part for its static pod. A kubelet runs a
// static pod's container with the command of its manifest, and replaces the pod (a new process) when the manifest
// changes. No kubelet runs in the lab, so the stand-in follows its own manifest with these.
import {parse} from 'yaml';
import {NotModelled} from './not-modelled.ts';

/** The `--name=value` flags of the manifest's container command (the first item is the program). */
export function podCommandFlags(manifest: string): Record<string, string> {
	const pod = parse(manifest) as {spec?: {containers?: {command?: unknown}[]}} | null;
	const command = pod?.spec?.containers?.[0]?.command;
	if (!Array.isArray(command) || command.some((item) => typeof item !== 'string')) {
		throw new NotModelled('a kube-apiserver manifest without spec.containers[0].command as a list of strings');
	}
	const flags: Record<string, string> = {};
	for (const argument of command.slice(1) as string[]) {
		const match = /^--([a-z0-9-]+)=(.*)$/.exec(argument);
		if (match === null) throw new NotModelled(`the kube-apiserver argument "${argument}" (modelled: --name=value)`);
		flags[match[1] ?? ''] = match[2] ?? '';
	}
	return flags;
}

/**
The flags of the new process when the manifest changed: the manifest's own replace the running process's, the
stand-in's (--lab-*, --bind-address, the etcd client files its manifest leaves out) stay. It does not join again:
it has its replica of the store and catches up with the other apiservers, so --lab-sync-from goes.
*/
export function restartFlags(running: Readonly<Record<string, string>>, manifest: string): Record<string, string> {
	const {'lab-sync-from': _joined, ...kept} = running;
	return {...kept, ...podCommandFlags(manifest)};
}
