import {sh} from '../runner/shell.ts';
import type {ClusterSpec} from '../spec/cluster.ts';
import type {NodeSpec} from '../spec/schema.ts';

export const manifests = '/etc/kubernetes/manifests';
/** Where the manifests wait while the kubelet stops their pods; outside the directory the kubelet watches. */
const held = '/etc/kubernetes/kubeha-restart';
export const controlPlanePods = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'];

/**
Restarts the control plane's static pods the way kubeadm's docs say (the manifests out of the kubelet's
directory, then back): the manifests move out; once the API server stops answering (the kubelet saw them go; it
looks every 20 s at most, fileCheckFrequency) they move back, and it waits until the API server answers
/healthz again, with the new certificates. Run again after an interruption, it first brings back whatever is held.
*/
export function restartScript(spec: ClusterSpec, node: NodeSpec): string {
	const healthz = `https://${node.address}:${spec.apiServer.bindPort}/healthz`;
	const answers = sh`curl -sfk --max-time 2 ${healthz} >/dev/null`;
	return [
		'set -e',
		sh`mkdir -p ${held}`,
		...controlPlanePods.map(
			(pod) => sh`if [ -f ${`${manifests}/${pod}.yaml`} ]; then mv ${`${manifests}/${pod}.yaml`} ${held}/; fi`,
		),
		`for attempt in $(seq 1 60); do ${answers} || break; sleep 1; done`,
		`if ${answers}; then echo "the API server still answers a minute after its manifest left ${manifests}" >&2; fi`,
		sh`for file in ${held}/*.yaml; do [ -e "$file" ] && mv "$file" ${manifests}/; done`,
		`for attempt in $(seq 1 120); do ${answers} && exit 0; sleep 1; done`,
		sh`echo ${`the API server on ${node.name} did not answer ${healthz} within 2 minutes of its restart: see journalctl -u kubelet and crictl ps -a on it`} >&2`,
		'exit 1',
	].join('\n');
}
