import {etcdMembers} from '../source/spec/cluster.ts';
import {etcdPackagesTask, etcdServiceTask, etcdUnitReloadTask} from './scripts/etcd.ts';
import {files, renderedUnder, tasks} from './scripts/plan.ts';
import type {PlanStepDefinition} from './support/plan-step.ts';

/** External etcd: each member's certificates, environment file and unit, and the member started (etcd-health waits). */
export const etcd: PlanStepDefinition = {
	id: 'etcd',
	title: 'Start the external etcd members',
	hosts: (spec) => (spec.etcd.topology === 'external' ? etcdMembers(spec) : []),
	// Every member at once: a member waits for a quorum of its peers.
	parallel: true,
	plan(view, family) {
		const memberFiles = renderedUnder(view, [
			'/etc/etcd/',
			'/etc/systemd/system/etcd.service',
			'/etc/kubernetes/pki/etcd/',
		]);
		return [
			tasks(etcdPackagesTask(family)),
			files(...memberFiles),
			tasks(etcdUnitReloadTask, etcdServiceTask(memberFiles.map((put) => put.file.path))),
		];
	},
};
