import assert from 'node:assert/strict';
import {test} from 'node:test';
import {statusReport} from '../../source/status/report.ts';
import {formatStatusTable} from '../../source/status/table.ts';
import type {KubernetesStatus} from '../../source/status/types.ts';
import {labSpec, recordedStatus} from './fixtures.ts';

test('the table of a healthy lab cluster: every node, the cluster-wide facts, the verdict', () => {
	assert.equal(
		formatStatusTable(statusReport(recordedStatus('healthy'), labSpec)),
		`cluster lab, checked 2026-11-22T07:35:50.088Z

NODE  SSH  VIP   KEEPALIVED  HAPROXY  APISERVER  ETCD       CERTS
cp1   ok   held  MASTER 120  3/3 UP   ok         no answer  360d admin.conf
cp2   ok         BACKUP 110  3/3 UP   ok         no answer  360d admin.conf
cp3   ok         BACKUP 100  3/3 UP   ok         no answer  360d admin.conf

VIP                      198.18.1.100 on cp1
API                      https://198.18.1.100:8443 answers
nodes                    3/3 Ready
kube-controller-manager  leader cp1 (renewed 1 s ago)
kube-scheduler           leader cp1 (renewed 1 s ago)
etcd                     unknown: no member answered kubeha (curl: (7) Failed to connect to 198.18.1.11 port 2379 after 0 ms: Couldn't connect to server), while the API servers answer /healthz, which checks their etcd

healthy`,
	);
});

test('the table of a degraded cluster lists each problem with why and fix; unreachable nodes show ? for their parts', () => {
	const missing: KubernetesStatus = {answered: false, kubeconfig: 'missing', path: '/srv/lab/.kubeha/admin.conf'};
	const status = recordedStatus(
		{
			cp3: {
				node: 'cp3',
				address: '198.18.1.13',
				reachable: false,
				error: 'ssh: connect to host 198.18.1.13 port 22: No route to host',
			},
		},
		missing,
	);
	assert.equal(
		formatStatusTable(statusReport(status, labSpec)),
		`cluster lab, checked 2026-11-22T07:35:50.088Z

NODE  SSH          VIP   KEEPALIVED  HAPROXY  APISERVER  ETCD       CERTS
cp1   ok           held  MASTER 120  3/3 UP   ok         no answer  360d admin.conf
cp2   ok                 BACKUP 110  3/3 UP   ok         no answer  360d admin.conf
cp3   unreachable  ?     ?           ?        ?          ?          ?

VIP   198.18.1.100 on cp1
API   not asked: no kubeconfig at /srv/lab/.kubeha/admin.conf (kubeha apply fetches it)
etcd  unknown: no member answered kubeha (curl: (7) Failed to connect to 198.18.1.11 port 2379 after 0 ms: Couldn't connect to server), while the API servers answer /healthz, which checks their etcd

degraded: 1 problem
✖ cp3 (198.18.1.13) is not reachable over ssh
    why: ssh: connect to host 198.18.1.13 port 22: No route to host
    fix: check that cp3 is up and that \`ssh -p 22 root@198.18.1.13\` works from here (ssh.user, ssh.port, ssh.identityFile, known_hosts); until then nothing on it can be checked.`,
	);
});
