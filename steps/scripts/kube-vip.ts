import {parseDocument} from 'yaml';
import {stateFiles} from './facts.ts';

const superAdminConf = '/etc/kubernetes/super-admin.conf';

/**
The first control plane's kube-vip manifest once kubeadm init is done: its kubeconfig volume moves from
super-admin.conf (which bypasses RBAC, needed only while init runs) to admin.conf, the comment says so, the
rest stays as rendered.
*/
export function kubeVipAfterInit(rendered: string): string {
	const document = parseDocument(rendered);
	const volumes = document.getIn(['spec', 'volumes']) as {items?: unknown[]} | undefined;
	const index = (volumes?.items ?? []).findIndex(
		(volume) => (volume as {get?: (key: string) => unknown}).get?.('name') === 'kubeconfig',
	);
	if (index === -1 || document.getIn(['spec', 'volumes', index, 'hostPath', 'path']) !== superAdminConf) {
		throw new Error(
			`the kube-vip manifest has no kubeconfig volume on ${superAdminConf} to point at ${stateFiles.adminConf}.`,
		);
	}

	document.setIn(['spec', 'volumes', index, 'hostPath', 'path'], stateFiles.adminConf);
	document.commentBefore = [
		'Rendered by kubeha: kube-vip, which announces the API VIP from the leading control plane.',
		`It reads ${stateFiles.adminConf}. While kubeadm init ran on this first control plane it read ${superAdminConf}:`,
		`since Kubernetes 1.29 ${stateFiles.adminConf} has no rights until the API server is up (kube-vip#684); kubeha`,
		'switched it back once the cluster was up, because super-admin.conf bypasses RBAC.',
	]
		.map((line) => ` ${line}`)
		.join('\n');
	return document.toString({lineWidth: 0});
}
