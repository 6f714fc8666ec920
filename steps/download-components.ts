import type {ComponentKind} from '../source/components/table.ts';
import {type ClusterSpec, runsKubelet} from '../source/spec/cluster.ts';
import type {NodeSpec} from '../source/spec/schema.ts';
import {downloadTask} from './scripts/components.ts';
import {tasks} from './scripts/plan.ts';
import type {PlanStepDefinition} from './support/plan-step.ts';

/**
The components kubeha installs from upstream release files on a node, by its roles. External etcd members keep
Debian's etcd (etcd-packages) until the etcd 3.6 install (unit, etcdutl for backups) lands: `etcd` is in the table
and the download and install tasks take it, but no step installs it yet.
*/
export function componentsOf(_spec: ClusterSpec, node: NodeSpec): ComponentKind[] {
	return runsKubelet(node) ? ['containerd', 'runc', 'cni', 'crictl'] : [];
}

/**
Every release file a node needs, downloaded and verified against the components table before the next step
installs anything: one damaged or wrong file stops the run here, with nothing installed on any node.
*/
export const downloadComponents: PlanStepDefinition = {
	id: 'download-components',
	title: 'Download and verify containerd, runc, CNI plugins, crictl and etcd (sha256)',
	hosts: (spec) => spec.nodes.filter((node) => componentsOf(spec, node).length > 0),
	parallel: true,
	plan: (view) => [tasks(...componentsOf(view.spec, view.host).map((kind) => downloadTask(view.spec, kind)))],
};
