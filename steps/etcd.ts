import {etcdMembers} from '../source/spec/cluster.ts';
import {etcdUnitReloadTask} from './scripts/etcd.ts';
import {etcdServiceTask} from './scripts/etcd-member.ts';
import {files, renderedUnder, tasks} from './scripts/plan.ts';
import type {PlanStepDefinition} from './support/plan-step.ts';

/**
External etcd: each member's certificates, environment file and unit, and the member running them. One member at
a time: on a running cluster a member is restarted or added only while the others keep the quorum (see
`etcdServiceTask`); on a first install each start returns at once and etcd-health waits for the cluster.
*/
export const etcd: PlanStepDefinition = {
	id: 'etcd',
	title: 'Start the external etcd members',
	hosts: (spec) => (spec.etcd.topology === 'external' ? etcdMembers(spec) : []),
	parallel: false,
	plan(view) {
		const memberFiles = renderedUnder(view, [
			'/etc/etcd/',
			'/etc/systemd/system/etcd.service',
			'/etc/kubernetes/pki/etcd/',
		]);
		return [
			files(...memberFiles),
			tasks(
				etcdUnitReloadTask,
				etcdServiceTask(
					view.spec,
					view.host,
					memberFiles.map((put) => put.file.path),
				),
			),
		];
	},
};
