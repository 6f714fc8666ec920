import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {cleanup} from 'ink-testing-library';
import {type StatusReport, statusReport} from '../../source/status/report.ts';
import {StatusView} from '../../source/ui/status/index.ts';
import {renderInk} from '../helpers/render-ink.tsx';
import {labSpec, recordedStatus} from './fixtures.ts';

afterEach(cleanup);

const healthyReport = statusReport(recordedStatus('healthy'), labSpec);
const degradedReport = statusReport(recordedStatus('keepalived-down'), labSpec);

test('one check: "checking…" while it runs, then the table, the facts and the verdict; then it exits with the report', async () => {
	let finish: (report: StatusReport) => void = () => undefined;
	const exits: (StatusReport | undefined)[] = [];
	const ui = renderInk(
		<StatusView
			probe={async () => new Promise((resolve) => (finish = resolve))}
			watch={false}
			intervalMs={5000}
			onExit={(report) => exits.push(report)}
		/>,
	);
	assert.equal(await ui.waitFor('checking…'), 'not checked yet · checking…');
	finish(healthyReport);
	assert.equal(
		await ui.waitFor('healthy'),
		`cluster lab · checked 2026-11-22T07:35:50.088Z

NODE  SSH  VIP   KEEPALIVED  HAPROXY  APISERVER  ETCD       CERTS
cp1   ok   held  MASTER 120  3/3 UP   ok         no answer  360d admin.conf
cp2   ok         BACKUP 110  3/3 UP   ok         no answer  360d admin.conf
cp3   ok         BACKUP 100  3/3 UP   ok         no answer  360d admin.conf

VIP                      198.18.1.100 on cp1
API                      https://198.18.1.100:8443 answers
nodes                    3/3 Ready
kube-controller-manager  leader cp1 (renewed 1 s ago)
kube-scheduler           leader cp1 (renewed 1 s ago)
etcd                     unknown: no member answered kubeha (curl: (7) Failed to connect to
                         198.18.1.11 port 2379 after 0 ms: Couldn't connect to server), while the
                         API servers answer /healthz, which checks their etcd

healthy`,
	);
	assert.deepEqual(exits, [healthyReport]);
});

test('watching: checks again after each interval, shows each problem, and q ends it with the latest report', async () => {
	const reports = [healthyReport, degradedReport];
	let probes = 0;
	const exits: (StatusReport | undefined)[] = [];
	const ui = renderInk(
		<StatusView
			probe={async () => reports[Math.min(probes++, reports.length - 1)] as StatusReport}
			watch
			intervalMs={10}
			onExit={(report) => exits.push(report)}
		/>,
	);
	const frame = await ui.waitFor('degraded: 3 problems');
	assert.match(frame, /^✖ keepalived is not running on cp1$/m);
	assert.match(frame, /^ {4}why: no keepalived process runs there, so cp1 cannot hold the VIP; the VIP is on cp2/m);
	assert.match(frame, /^cp1 {3}ok {9}not running {2}2\/3 UP, cp3 DOWN/m);
	assert.match(frame, /q quit$/);
	await ui.press('q');
	assert.deepEqual(exits, [degradedReport]);
	const after = probes;
	await new Promise((resolve) => setTimeout(resolve, 50));
	assert.equal(probes, after, 'no check after q');
});

test('watching: a failed check is shown and the last report stays', async () => {
	let probes = 0;
	const ui = renderInk(
		<StatusView
			probe={async () => {
				probes++;
				if (probes > 1) {
					throw new Error('ssh-agent went away');
				}

				return healthyReport;
			}}
			watch
			intervalMs={10}
			onExit={() => undefined}
		/>,
	);
	const frame = await ui.waitFor('the last check failed: ssh-agent went away');
	assert.match(frame, /^healthy$/m);
	ui.unmount();
});
