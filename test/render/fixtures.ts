import {spawnSync} from 'node:child_process';
import {readTemplates} from '../../source/io/templates.ts';
import type {NodeRenderer, RenderContext, RenderedFile} from '../../source/render/types.ts';
import {generateSecrets} from '../../source/secrets/generate.ts';
import type {Secrets} from '../../source/secrets/types.ts';
import type {ClusterSpec} from '../../source/spec/cluster.ts';

/* Shared by the tests of the kubeadm, etcd and prerequisite renderers and of the secrets. */

/** A context with freshly generated secrets (RSA keys take a moment: make one per spec and reuse it). */
export async function contextFor(spec: ClusterSpec, secrets?: Secrets): Promise<RenderContext> {
	return {spec, secrets: secrets ?? (await generateSecrets(spec)), templates: await readTemplates()};
}

/** One renderer's files for every node, by node name. */
export function renderEach(context: RenderContext, render: NodeRenderer): Map<string, RenderedFile[]> {
	return new Map(context.spec.nodes.map((node) => [node.name, render(context, node)]));
}

export const opensslAvailable = spawnSync('openssl', ['version']).status === 0;

/** The CA pin as kubeadm's docs compute it: `openssl x509 -pubkey | openssl pkey -pubin -outform der | sha256sum`. */
export function opensslCaCertHash(pem: string): string {
	const result = spawnSync(
		'bash',
		['-o', 'pipefail', '-c', 'openssl x509 -pubkey -noout | openssl pkey -pubin -outform der | sha256sum'],
		{input: pem, encoding: 'utf8', timeout: 10_000},
	);
	if (result.status !== 0) {
		throw new Error(`openssl failed: ${result.stderr}`);
	}

	return `sha256:${result.stdout.split(' ')[0]}`;
}

/** KEY=VALUE lines as systemd's EnvironmentFile reads them (comments and blank lines skipped; kubeha writes no quotes). */
export function parseEnvironmentFile(text: string): Record<string, string> {
	return Object.fromEntries(
		text
			.split('\n')
			.filter((line) => line.trim() !== '' && !line.startsWith('#'))
			.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
	);
}
