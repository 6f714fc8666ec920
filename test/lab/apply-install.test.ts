// `kubeha apply` end to end on a 5-host lab: the built binary installs three control planes with keepalived + haproxy
// (systemd) and stacked etcd, and two workers, over real ssh; the result is checked on the hosts, not in kubeha's words.
// Then the same apply again (issue #5, scenario 4): with nothing changed it writes nothing, restarts nothing, asks the
// cluster for nothing new, and says that every step was in place; the dry run says the same. No host has containerd
// to start with (apt offers Debian 12's 1.6.20 only): the release files come from the lab's artifact server, and a
// damaged one, first, stops the install with its digests before anything is installed (issue #12).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {
	eventsOf,
	haproxyBackends,
	healthz,
	holdersOf,
	labCluster,
	type RunEventLine,
	stackedClusterYaml,
} from './cluster.ts';
import {
	callsSince,
	changingCalls,
	managedFileProblems,
	renderedFiles,
	servicePids,
	standInCalls,
	writesBetween,
	writtenFiles,
} from './host-state.ts';
import {type Lab, labAvailable, startLab} from './lab.ts';

const availability = labAvailable({commands: ['keepalived', 'haproxy', 'curl', 'socat']});

test('kubeha apply installs an HA cluster on the lab, and a second apply changes nothing', {
	skip: availability.ok ? false : availability.reason,
}, async () => {
	const lab = await startLab({hosts: 5});
	const cluster = await labCluster(lab, stackedClusterYaml(lab, {controlPlanes: 3, workers: 2}));
	try {
		// A damaged containerd release file: refused with both digests, and nothing installed on any node (the only
		// writes are the verified files in the download cache).
		const untouched = new Map(lab.hosts.map((host) => [host.name, writtenFiles(host)]));
		cluster.artifacts.corrupt('containerd');
		const refused = await cluster.kubeha(['apply', '--yes', '--output', 'json']);
		cluster.artifacts.restore();
		assert.notEqual(refused.code, 0);
		assert.match(
			`${refused.stdout}${refused.stderr}`,
			/containerd-2\.3\.4-linux-\w+\.tar\.gz \(containerd 2\.3\.4, \w+, from http:[^)]+\) has sha256 [0-9a-f]{64}, but kubeha's components table expects [0-9a-f]{64}/,
		);
		for (const host of lab.hosts) {
			const writes = writesBetween(untouched.get(host.name) ?? new Map(), writtenFiles(host));
			const installed = writes.filter((write) => !/^\/var(\/cache(\/kubeha(\/artifacts(\/[^/]+)?)?)?)?: /.test(write));
			assert.deepEqual(installed, [], `nothing installed on ${host.name}`);
		}

		await cluster.apply();

		const vip = lab.address(100);
		assert.deepEqual(await holdersOf(lab, vip), [lab.hosts[0]?.name], 'the VIP is on cp1 (highest priority) only');
		assert.equal(await healthz(vip, 8443), 'ok');
		for (const host of lab.hosts.slice(0, 3)) {
			assert.deepEqual(await haproxyBackends(lab, host), ['cp1 UP', 'cp2 UP', 'cp3 UP'], `haproxy on ${host.name}`);
		}

		const files = await renderedFiles(cluster);
		assert.deepEqual(await managedFileProblems(lab, cluster, files), []);
		const before = await hostStates(lab);
		const events = await cluster.apply();
		const dryRun = await cluster.kubeha(['apply', '--dry-run', '--output', 'json']);
		const after = await hostStates(lab);

		assert.deepEqual(
			notInPlace(events),
			[],
			`every step that acts found its work in place on every host: ${events
				.filter((event) => String(event['text'] ?? '').startsWith('to do:'))
				.map((event) => `${event['host']}: ${event['text']}`)
				.join('\n')}`,
		);
		assert.ok(
			events.some((event) => event['stepId'] === 'kubeconfig' && String(event['text']).startsWith('unchanged ')),
			'the kubeconfig fetched again is the one kept',
		);
		for (const host of lab.hosts) {
			const [was, is] = [before.get(host.name), after.get(host.name)];
			assert.ok(was && is);
			assert.deepEqual(writesBetween(was.written, is.written), [], `nothing written on ${host.name}`);
			assert.deepEqual(Object.keys(was.pids), servicesOn(host.name), `the services running on ${host.name}`);
			assert.deepEqual(is.pids, was.pids, `no service restarted on ${host.name}`);
			const calls = callsSince(was.calls, is.calls);
			assert.ok(calls.length > 0, `the stand-ins on ${host.name} were asked something`);
			assert.deepEqual(changingCalls(calls), [], `only reading calls on ${host.name}`);
		}

		assert.equal(dryRun.code, 0, dryRun.stderr);
		const statuses = fileStatuses(eventsOf(dryRun.stdout));
		assert.equal(statuses.length, files.length, 'the dry run compares every file');
		assert.deepEqual(
			statuses.filter((status) => status !== 'unchanged'),
			[],
			'the dry run says no file changes',
		);
	} finally {
		await lab.stop();
		cluster.remove();
	}
});

/**
The status of each file in a dry run's JSON: one `file-change` event per file (compared with the last apply's
record), or, since the dry run reads the hosts' copies, one `host-files` event per host listing its files.
*/
function fileStatuses(events: readonly RunEventLine[]): string[] {
	return events.flatMap((event) =>
		event.kind === 'file-change'
			? [String(event.status)]
			: event.kind === 'host-files'
				? (event['files'] as {status: string}[]).map((file) => file.status)
				: [],
	);
}

/** The services of each host (pid files in name order): the control planes' load balancer and API server. */
const servicesOn = (host: string) =>
	['lab-h1', 'lab-h2', 'lab-h3'].includes(host)
		? ['containerd.service', 'haproxy.service', 'keepalived.service', 'kube-apiserver']
		: ['containerd.service'];

/** Steps that only read (the hosts, the spec against them, admin.conf, the finished cluster): they run every time. */
const readingSteps = new Set(['gather-facts', 'preflight', 'kubeconfig', 'verify']);

/**
Each host's part of a step that did something other than find its work in place (reading steps aside), as
`<step> <host> <status>: <reason>`; also a host the run planned but never reported.
*/
function notInPlace(events: readonly RunEventLine[]): string[] {
	const planned = events.find((event) => event.kind === 'run-start')?.['steps'] as {stepId: string; hosts: string[]}[];
	const ends = events.filter((event) => event.kind === 'host-end');
	return planned.flatMap(({stepId, hosts}) =>
		hosts.flatMap((host) => {
			const end = ends.find((event) => event['stepId'] === stepId && event['host'] === host);
			const outcome = end?.['outcome'] as {status: string; reason?: string; error?: string} | undefined;
			const fine = readingSteps.has(stepId)
				? outcome?.status === 'done'
				: outcome?.status === 'skipped' && outcome.reason?.startsWith('already in place: ');
			return fine
				? []
				: [`${stepId} ${host} ${outcome?.status ?? 'not reported'}: ${outcome?.reason ?? outcome?.error ?? ''}`];
		}),
	);
}

/** What a host has that a run could change: its written files, its services' processes, the stand-ins' calls. */
async function hostStates(lab: Lab) {
	const states = new Map<
		string,
		{written: Map<string, string>; pids: Record<string, number>; calls: Record<string, string[]>}
	>();
	for (const host of lab.hosts) {
		states.set(host.name, {
			written: writtenFiles(host),
			pids: await servicePids(lab, host),
			calls: await standInCalls(lab, host),
		});
	}

	return states;
}
