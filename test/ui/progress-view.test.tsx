import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import {stripVTControlCharacters} from 'node:util';
import {cleanup, render} from 'ink-testing-library';
import type {RunEvent} from '../../source/runner/events.ts';
import {FinishedStepView} from '../../source/ui/progress/finished-step.tsx';
import {ApplyProgress, eventQueue} from '../../source/ui/progress/index.ts';
import type {FinishedStep} from '../../source/ui/progress/progress-state.ts';
import {eventsUntil, type Recording, recorded} from '../fixtures/events/replay.ts';
import {renderInk} from '../helpers/render-ink.tsx';

afterEach(cleanup);

const logPath = '/home/op/.kubeha/logs/run-2026-01-12T09-30-00.000Z.log';
const resumeCommand = 'kubeha apply -c cluster.yaml --resume';

/** The view fed `events` (then left waiting for more), its clock stopped at `now`. */
function show(events: readonly RunEvent[], now = () => 0) {
	const queue = eventQueue();
	for (const event of events) {
		queue.push(event);
	}

	const ui = renderInk(
		<ApplyProgress
			events={queue}
			onAbortRequest={() => undefined}
			logPath={logPath}
			resumeCommand={resumeCommand}
			now={now}
		/>,
	);
	return {...ui, queue};
}

const lineOf = (host: string, starting: string) => (event: RunEvent) =>
	event.kind === 'line' && event.host === host && event.text.startsWith(starting);

/** A whole recorded run, replayed to its end. */
async function replayed(recording: Recording): Promise<string> {
	const ui = show(recorded(recording));
	return ui.waitFor(/(Install|Dry run) (done|failed|stopped)/, 'the summary');
}

const stepsBeforeLoadBalancer = `✔ Prerequisites  cp1 cp2 cp3 worker1 worker2 (5.2 s)
– Open firewall ports (3.2 s)
    skipped on cp1 cp2 cp3 worker1 worker2: no firewall is active (ufw inactive)`;
const stepsBeforeJoining = `${stepsBeforeLoadBalancer}
✔ Install kubeadm, kubelet and kubectl  cp1 cp2 cp3 worker1 (8.0 s)
    skipped on worker2: kubeadm, kubelet and kubectl 1.37.1 are already installed
✔ Configure keepalived and haproxy  cp1 cp2 cp3 (3.2 s)
✔ Initialise the first control plane  cp1 (2.2 s)`;

describe('ApplyProgress while the run goes on', () => {
	test('shows a row per host of the running step: spinner, elapsed time, latest output; waiting hosts too', async () => {
		// 2.945 s after cp1 and 2.545 s after cp2 started installing.
		const ui = show(eventsUntil(recorded('done'), lineOf('cp2', 'Setting up kubelet')), () => 1_768_210_212_345);
		assert.equal(
			await ui.waitFor('Setting up kubelet'),
			`${stepsBeforeLoadBalancer}
❯ Install kubeadm, kubelet and kubectl (3/7)
  ⠸ cp1      2.9 s
      Setting up kubectl (1.37.1-1.1) ...
      kubelet set on hold on cp1.
  ⠸ cp2      2.5 s
      Setting up containerd (1.7.24-1) ...
      Setting up kubelet (1.37.1-1.1) ...
  · cp3      waiting
  · worker1  waiting
  · worker2  waiting
Ctrl-C stop the install`,
		);
	});

	test('a host running alone shows its last five lines, each cut to the terminal’s width', async () => {
		const ui = show(eventsUntil(recorded('done'), lineOf('cp1', 'Your Kubernetes')), () => 1_768_210_222_000);
		const frame = await ui.waitFor('Your Kubernetes');
		assert.ok(
			frame.endsWith(`❯ Initialise the first control plane (5/7)
  ⠋ cp1  1.0 s
      [kubeconfig] Writing "admin.conf" kubeconfig file
      [control-plane] Creating static Pod manifest for "kube-apiserver"
      [etcd] Creating static Pod manifest for local etcd in "/etc/kubernetes/manifests"
      [upload-certs] Storing the certificates in Secret "kubeadm-certs" in the "kube-system" Namesp…
      Your Kubernetes control-plane has initialized successfully!
Ctrl-C stop the install`),
			frame,
		);
		// ink-testing-library's terminal is 100 columns wide.
		assert.ok(Math.max(...frame.split('\n').map((line) => line.length)) <= 100);
	});

	test('a host that ended in the running step shows how, next to those still waiting', async () => {
		const joined = (event: RunEvent) => event.kind === 'host-end' && event.stepId === 'join-control-planes';
		const ui = show(eventsUntil(recorded('failed'), joined));
		assert.equal(
			await ui.waitFor('failed (exit code 1)'),
			`${stepsBeforeJoining}
❯ Join the other control planes (6/7)
  ✖ cp2  failed (exit code 1)
  · cp3  waiting
Ctrl-C stop the install`,
		);
	});

	test('elapsed times and the spinner follow the view’s clock', async () => {
		let time = 1_768_210_209_400 + 2000;
		const ui = show(eventsUntil(recorded('done'), lineOf('cp1', 'Reading package lists')), () => time);
		await ui.waitFor('⠼ cp1      2.0 s');
		time += 3100;
		await ui.waitFor('⠴ cp1      5.1 s');
	});

	test('output arriving in a burst is drawn in a few frames, not one per line', async () => {
		const queue = eventQueue();
		const instance = render(<ApplyProgress events={queue} onAbortRequest={() => undefined} now={() => 0} />);
		const start = eventsUntil(recorded('done'), (event) => event.kind === 'host-start');
		for (const event of start) {
			queue.push(event);
		}

		for (let index = 0; index < 500; index++) {
			queue.push({kind: 'line', at: 0, stepId: 'prerequisites', host: 'cp1', stream: 'stdout', text: `line ${index}`});
		}

		const deadline = Date.now() + 5000;
		while (!stripVTControlCharacters(instance.lastFrame() ?? '').includes('line 499') && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 5));
		}

		assert.match(stripVTControlCharacters(instance.lastFrame() ?? ''), /line 498\n +line 499/);
		assert.ok(instance.frames.length < 10, `${instance.frames.length} frames for 500 lines`);
	});
});

describe('ApplyProgress at the end of the run', () => {
	test('a finished run: every step stays on screen with its hosts and time, skip reasons, a summary per host', async () => {
		assert.equal(
			await replayed('done'),
			`${stepsBeforeLoadBalancer}
✔ Install kubeadm, kubelet and kubectl  cp1 cp2 cp3 worker1 (8.0 s)
    skipped on worker2: kubeadm, kubelet and kubectl 1.37.1 are already installed
✔ Configure keepalived and haproxy  cp1 cp2 cp3 (3.2 s)
✔ Initialise the first control plane  cp1 (2.2 s)
✔ Join the other control planes  cp2 cp3 (2.6 s)
✔ Join the workers  worker1 worker2 (1.8 s)

✔ Install done in 27.8 s
  ✔ cp1      4 done · 1 skipped
  ✔ cp2      4 done · 1 skipped
  ✔ cp3      4 done · 1 skipped
  ✔ worker1  3 done · 1 skipped
  ✔ worker2  2 done · 2 skipped
  Full log: ${logPath}`,
		);
	});

	test('a failure: the host, error, exit code and last lines under the step; the log and how to resume', async () => {
		assert.equal(
			await replayed('failed'),
			`${stepsBeforeJoining}
✖ Join the other control planes (1.2 s)
    ✖ cp2: a command on cp2 exited with 1: error execution phase preflight: couldn't validate the
    identity of the API Server: Get
    "https://192.168.1.94:8443/api/v1/namespaces/kube-public/configmaps/cluster-info?timeout=10s":
    dial tcp 192.168.1.94:8443: connect: connection refused
      exit code 1; its last lines:
      │ [preflight] Running pre-flight checks
      │ [preflight] Reading configuration from the "kubeadm-config" ConfigMap
      │ error execution phase preflight: couldn't validate the identity of the API Server: Get "htt…
    not started on cp3

✖ Install failed after 24.4 s
  ✔ cp1      4 done · 1 skipped
  ✖ cp2      failed at Join the other control planes · 3 done · 1 skipped
  · cp3      3 done · 1 skipped · 1 not reached
  · worker1  2 done · 1 skipped · 1 not reached
  · worker2  1 done · 2 skipped · 1 not reached
  Full log: ${logPath}
  After fixing the cause, go on with: ${resumeCommand}`,
		);
	});

	test('a stopped run: where each host stopped, what never started, the journal kept and how to go on', async () => {
		assert.equal(
			await replayed('aborted'),
			`${stepsBeforeLoadBalancer}
■ Install kubeadm, kubelet and kubectl (3.8 s)
    stopped on cp1 cp2
    not started on cp3 worker1 worker2

■ Install stopped after 13.0 s; the journal is kept
  ■ cp1      stopped in Install kubeadm, kubelet and kubectl · 1 done · 1 skipped · 2 not reached
  ■ cp2      stopped in Install kubeadm, kubelet and kubectl · 1 done · 1 skipped · 2 not reached
  · cp3      1 done · 1 skipped · 3 not reached
  · worker1  1 done · 1 skipped · 2 not reached
  · worker2  1 done · 1 skipped · 2 not reached
  Full log: ${logPath}
  Go on with: ${resumeCommand}`,
		);
	});

	test('a dry run: what each step would do on each host, and that nothing changed', async () => {
		const frame = await replayed('dry-run');
		assert.ok(
			frame.startsWith(`✔ Prerequisites  cp1 cp2 cp3 worker1 worker2 (3.2 s)
    cp1: would run the prerequisites script
    cp2: would run the prerequisites script`),
			frame,
		);
		assert.ok(
			frame.endsWith(`✔ Join the workers  worker1 worker2 (1.4 s)
    worker1: would run the join-workers script
    worker2: would run the join-workers script

✔ Dry run done in 16.8 s: nothing was changed on any host
  ✔ cp1      5 described
  ✔ cp2      5 described
  ✔ cp3      5 described
  ✔ worker1  4 described
  ✔ worker2  4 described
  Full log: ${logPath}`),
			frame,
		);
	});

	test('calls onEnd once, with the run’s end, after drawing it', async () => {
		const ends: unknown[] = [];
		const queue = eventQueue();
		const ui = renderInk(
			<ApplyProgress events={queue} onAbortRequest={() => undefined} now={() => 0} onEnd={(end) => ends.push(end)} />,
		);
		const events = recorded('done');
		for (const event of events) {
			queue.push(event);
		}

		queue.end();
		await ui.waitFor('Install done');
		await ui.waitFor(() => ends.length > 0, 'onEnd');
		assert.deepEqual(ends, [{end: {status: 'done', durationMs: 27_800, failures: []}, error: undefined}]);
	});
});

describe('FinishedStepView', () => {
	test('a stopped step with every kind of host: done, skipped for two reasons, failed, stopped, not started', async () => {
		const step: FinishedStep = {
			stepId: 'install',
			title: 'Install packages',
			status: 'failed',
			durationMs: 12_345,
			described: [],
			hosts: [
				{host: 'cp1', outcome: {status: 'done'}, durationMs: 1},
				{host: 'cp2', outcome: {status: 'skipped', reason: 'already installed'}, durationMs: 1},
				{host: 'cp3', outcome: {status: 'failed', error: 'the step could not read /etc/os-release', lastLines: []}},
				{host: 'lb1', outcome: {status: 'skipped', reason: 'not a Debian host'}, durationMs: 1},
				{host: 'lb2', outcome: {status: 'skipped', reason: 'already installed'}, durationMs: 1},
				{host: 'worker1', outcome: {status: 'aborted'}, durationMs: 1},
				{host: 'worker2'},
			],
		};
		const ui = renderInk(<FinishedStepView step={step} />);
		assert.equal(
			await ui.waitFor('Install packages'),
			`✖ Install packages (12.3 s)
    done on cp1
    skipped on cp2 lb2: already installed
    skipped on lb1: not a Debian host
    ✖ cp3: the step could not read /etc/os-release
    stopped on worker1
    not started on worker2`,
		);
	});
});
