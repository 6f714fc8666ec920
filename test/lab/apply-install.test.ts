// `kubeha apply` end to end on a 5-host lab: the built binary installs three control planes with keepalived + haproxy
// (systemd) and stacked etcd, and two workers, over real ssh; the result is checked on the hosts, not in kubeha's words.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {haproxyBackends, healthz, holdersOf, labCluster, stackedClusterYaml} from './cluster.ts';
import {labAvailable, startLab} from './lab.ts';

const availability = labAvailable({commands: ['keepalived', 'haproxy', 'curl', 'socat']});

test('kubeha apply installs an HA cluster on the lab', {
	skip: availability.ok ? false : availability.reason,
}, async () => {
	const lab = await startLab({hosts: 5});
	const cluster = await labCluster(lab, stackedClusterYaml(lab, {controlPlanes: 3, workers: 2}));
	try {
		await cluster.apply();

		const vip = lab.address(100);
		assert.deepEqual(await holdersOf(lab, vip), [lab.hosts[0]?.name], 'the VIP is on cp1 (highest priority) only');
		assert.equal(await healthz(vip, 8443), 'ok');
		for (const host of lab.hosts.slice(0, 3)) {
			assert.deepEqual(await haproxyBackends(lab, host), ['cp1 UP', 'cp2 UP', 'cp3 UP'], `haproxy on ${host.name}`);
		}
	} finally {
		await lab.stop();
		cluster.remove();
	}
});
