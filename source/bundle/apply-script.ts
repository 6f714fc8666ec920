import {bundleParts} from '../../steps/index.ts';
import {familyDetectionScript, osFamilies} from '../../steps/scripts/os.ts';
import {bundleFunctions} from '../../steps/scripts/plan.ts';
import {changedFunction} from '../../steps/scripts/tasks.ts';
import type {BundlePart} from '../../steps/support/plan-step.ts';
import type {HostView} from '../../steps/types.ts';
import {sh} from '../runner/shell.ts';

/** The file name of each host's script in the bundle, beside its files. */
export const applyScriptName = 'apply.sh';

/**
A host's apply.sh: what `kubeha apply` does on that node, in the same order and from the same plans (each step's
files, then its tasks, each task checking first whether it is in place), for installing by hand. It reads the
node's rendered files from the directory it sits in and learns the package family (apt or dnf) on the node.
Without an argument it installs; a part with an argument (`apply.sh verify`) runs alone when asked. Gathering
facts, preflight and fetching the kubeconfig stay with `kubeha apply`.
*/
export function applyScript(view: HostView, version: string): string {
	const parts = bundleParts.filter((part) => part.hosts(view.spec).some((node) => node.name === view.host.name));
	const install = parts.filter((part) => part.argument === undefined);
	const onRequest = parts.filter((part) => part.argument !== undefined);
	const usage = ['', ...onRequest.map((part) => part.argument ?? '')].map((argument) => `apply.sh ${argument}`.trim());
	return [
		'#!/usr/bin/env bash',
		`# apply.sh for node ${view.host.name} (${view.host.address}) of cluster ${view.spec.name}, written by kubeha ${version}.`,
		'# It does on this node what `kubeha apply` does, for installing by hand. Run it as root on the node, from a copy',
		`# of hosts/${view.host.name}/ (the files beside it are what it installs): sudo bash apply.sh`,
		'# Each part checks first what is already in place, so running it again changes nothing. The order between the',
		'# nodes is in README.md ("Applying by hand").',
		`# Install: ${install.map((part) => part.id).join(', ')}.`,
		...onRequest.map((part) => `# apply.sh ${part.argument}: ${part.title}, once every node has run apply.sh.`),
		// Checks run in subshells on purpose (they may exit), and shellcheck cannot see the functions' callers.
		'# shellcheck disable=SC2234,SC2235,SC2317',
		'set -euo pipefail',
		'shopt -s inherit_errexit',
		// biome-ignore lint/suspicious/noTemplateCurlyInString: bash parameter expansion
		'kubeha_request=${1:-}',
		`case "$kubeha_request" in`,
		`'' ${onRequest.map((part) => `| ${part.argument}`).join(' ')}) ;;`,
		`*) ${sh`echo ${`kubeha: usage: ${usage.join(' | ')}`}`} >&2; exit 2 ;;`,
		'esac',
		'if [ "$(id -u)" != 0 ]; then',
		"\techo 'kubeha: run apply.sh as root (sudo bash apply.sh).' >&2",
		'\texit 1',
		'fi',
		// biome-ignore lint/suspicious/noTemplateCurlyInString: bash parameter expansion
		'kubeha_bundle=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)',
		familyDetectionScript(),
		bundleFunctions(),
		changedFunction,
		'if [ -z "$kubeha_request" ]; then',
		...install.map((part) => partScript(part, view)),
		sh`echo ${`kubeha: apply.sh installed ${view.host.name}.${onRequest.length > 0 ? ` Once every node has run apply.sh: ${usage.slice(1).join(', ')}.` : ''}`}`,
		'fi',
		...onRequest.map((part) =>
			[`if [ "$kubeha_request" = ${part.argument} ]; then`, partScript(part, view), 'fi'].join('\n'),
		),
		'',
	].join('\n');
}

/** One step's part: once when both families get the same script, otherwise by family. */
function partScript(part: BundlePart, view: HostView): string {
	const heading = [`\n# ==> ${part.id}: ${part.title}`, sh`echo ${`kubeha: ==> ${part.id}: ${part.title}`}`];
	const scripts = osFamilies.map((family) => part.script(view, family));
	if (scripts.every((script) => script === scripts[0])) {
		return [...heading, scripts[0]].join('\n');
	}

	return [
		...heading,
		'case "$kubeha_family" in',
		...osFamilies.map((family, index) => `${family})\n${scripts[index]}\n;;`),
		'esac',
	].join('\n');
}
