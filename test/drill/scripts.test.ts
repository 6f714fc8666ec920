// The drill's scripts: what each fault runs on the holder, and the VIP watch and health scripts run by real bash
// with stand-in `ip` and `socat` commands first on the PATH.
import assert from 'node:assert/strict';
import {chmodSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {faultPlan, offNetworkSeconds} from '../../source/drill/faults.ts';
import {healthScript, parseNodeHealth} from '../../source/drill/health.ts';
import {vipWatchScript} from '../../source/drill/vip-watch.ts';
import {UserError} from '../../source/io/user-error.ts';
import {createLocalShell} from '../../source/runner/local-shell.ts';
import type {NodeSpec} from '../../source/spec/schema.ts';
import {nodeNamed, specOf} from '../helpers/spec.ts';

const spec = specOf();
const cp1 = nodeNamed(spec, 'cp1');

describe('fault plans', () => {
	it('stops and starts a systemd service, counts from its end, and expects the VIP to move', () => {
		const plan = faultPlan(spec, cp1, 'haproxy');
		assert.equal(plan.inject, 'systemctl stop haproxy');
		assert.equal(plan.restore, 'systemctl start haproxy');
		assert.match(plan.pieceCheck ?? '', /ss -Htln \$?'sport = :8443'/, 'something listens on the load balancer port');
		assert.equal(plan.faultFrom, 'piece-down');
		assert.equal(plan.vipMoves, true);
	});

	it('moves a static pod manifest out of the manifests directory and back', () => {
		const staticPods = specOf((draft) => {
			draft.loadBalancer.deploy = 'static-pod';
		});
		const plan = faultPlan(staticPods, nodeNamed(staticPods, 'cp1'), 'keepalived');
		assert.match(
			plan.inject,
			/mv \/etc\/kubernetes\/manifests\/keepalived\.yaml \/etc\/kubernetes\/kubeha-drill\/keepalived\.yaml/,
		);
		assert.match(
			plan.restore ?? '',
			/mv \/etc\/kubernetes\/kubeha-drill\/keepalived\.yaml \/etc\/kubernetes\/manifests\/keepalived\.yaml/,
		);
		assert.equal(plan.upCheck, 'pgrep -x keepalived >/dev/null');
	});

	it('takes the API server down through its manifest, watches its port, and expects no VIP move', () => {
		const plan = faultPlan(spec, cp1, 'apiserver');
		assert.match(plan.inject, /mv \/etc\/kubernetes\/manifests\/kube-apiserver\.yaml /);
		assert.match(plan.pieceCheck ?? '', /ss -Htln \$?'sport = :6443'/);
		assert.equal(plan.faultFrom, 'inject-end', 'the pod may serve a while after its manifest moved');
		assert.match(
			plan.upCheck,
			/^curl .*--cacert \/etc\/kubernetes\/pki\/ca\.crt .*https:\/\/192\.168\.1\.91:6443\/healthz/,
		);
		assert.equal(plan.vipMoves, false);
	});

	it('refuses the API server fault on a holder that is no control plane', () => {
		const dedicated = specOf((draft) => {
			draft.nodes.push({name: 'lb1', address: '192.168.1.95', roles: ['load-balancer'], priority: 130});
		});
		assert.throws(
			() => faultPlan(dedicated, nodeNamed(dedicated, 'lb1'), 'apiserver'),
			(error: Error) => error instanceof UserError && /lb1 is not a control plane.*--fault haproxy/.test(error.message),
		);
	});

	it('cuts the holder off from a detached process that brings the link back by itself', () => {
		const plan = faultPlan(spec, cp1, 'node');
		assert.match(plan.inject, /setsid -f sh -c .* ens192 0\.5 20 /);
		assert.match(plan.inject, /systemd-run --quiet --collect sh -c .* ens192 0\.5 20$/m);
		assert.equal(plan.restore, undefined, 'kubeha cannot reach the node to undo it');
		assert.equal(plan.selfRestoreSeconds, offNetworkSeconds);
		assert.equal(plan.manualRestore, 'ip link set dev ens192 up');
	});
});

/** A directory of stand-in commands to put first on the PATH. */
function fakeCommands(commands: Record<string, string>): string {
	const directory = mkdtempSync(join(tmpdir(), 'kubeha-drill-bin-'));
	for (const [name, body] of Object.entries(commands)) {
		writeFileSync(join(directory, name), `#!/bin/sh\n${body}\n`);
		chmodSync(join(directory, name), 0o755);
	}

	return directory;
}

const ipShowing = (address: string) =>
	`echo "2: eth0    inet ${address}/24 scope global secondary eth0\\       valid_lft forever preferred_lft forever"`;

const runLocally = async (script: string, bin: string, milliseconds?: number) => {
	const lines: string[] = [];
	const result = await createLocalShell()
		.run({name: 'local', address: ''}, `PATH=${bin}:$PATH\n${script}`, {
			onLine: (line, stream) => {
				if (stream === 'stdout') lines.push(line);
			},
			nothrow: true,
			...(milliseconds === undefined ? {} : {signal: AbortSignal.timeout(milliseconds)}),
		})
		.catch(() => undefined);
	return {lines, result};
};

describe('the VIP watch script', () => {
	it('says held while the node has the VIP, every 0.1 s', async () => {
		const {lines} = await runLocally(
			vipWatchScript('198.18.0.100'),
			fakeCommands({ip: ipShowing('198.18.0.100')}),
			450,
		);
		assert.ok(lines.length >= 2, `a few samples: ${lines.join(',')}`);
		assert.ok(
			lines.every((line) => /^\d+\.\d+ held$/.test(line)),
			`the node's clock, then held: ${lines.join(',')}`,
		);
	});

	it('adds whether the piece runs, when given its check', async () => {
		const bin = fakeCommands({ip: ipShowing('198.18.0.100')});
		const up = await runLocally(vipWatchScript('198.18.0.100', 'true'), bin, 250);
		const down = await runLocally(vipWatchScript('198.18.0.100', '[ -e /nonexistent ]'), bin, 250);
		assert.match(up.lines[0] ?? '', / held up$/);
		assert.match(down.lines[0] ?? '', / held down$/);
	});

	it('says free for another address, even one the VIP is a prefix of', async () => {
		const {lines} = await runLocally(vipWatchScript('198.18.0.10'), fakeCommands({ip: ipShowing('198.18.0.100')}), 250);
		assert.ok(lines.length >= 1);
		assert.ok(lines.every((line) => line.endsWith(' free')));
	});
});

describe('the health script', () => {
	const stat = [
		'# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status',
		'kube-apiserver,FRONTEND,,,0,1,,1,0,0,0,0,0,,,,,OPEN',
		'kube-apiserver,cp1,0,0,0,1,,1,0,0,,0,,0,0,0,0,UP',
		'kube-apiserver,cp2,0,0,0,1,,1,0,0,,0,,0,0,0,0,DOWN',
		'kube-apiserver,BACKEND,0,0,0,1,,1,0,0,0,0,,0,0,0,0,UP',
	].join('\n');

	it('reports the VIP and every API server of haproxy', async () => {
		const bin = fakeCommands({
			ip: ipShowing('198.18.0.100'),
			pgrep: 'exit 0',
			socat: `cat >/dev/null\ncat <<'EOF'\n${stat}\nEOF`,
		});
		const {result} = await runLocally(healthScript(cp1, '198.18.0.100'), bin);
		assert.deepEqual(parseNodeHealth(cp1, result?.stdout ?? ''), {
			node: 'cp1',
			holdsVip: true,
			haproxyAnswered: true,
			keepalivedRuns: true,
			backends: [
				{server: 'cp1', status: 'UP'},
				{server: 'cp2', status: 'DOWN'},
			],
			stashed: [],
		});
	});

	it('tells a haproxy that does not answer, and a keepalived that does not run', async () => {
		const bin = fakeCommands({ip: ipShowing('198.18.0.7'), pgrep: 'exit 1', socat: 'exit 1'});
		const {result} = await runLocally(healthScript(cp1, '198.18.0.100'), bin);
		const health = parseNodeHealth(cp1, result?.stdout ?? '');
		assert.equal(health.holdsVip, false);
		assert.equal(health.haproxyAnswered, false);
		assert.equal(health.keepalivedRuns, false);
	});

	it('asks a control plane without load balancer only about manifests left aside', () => {
		const worker: NodeSpec = {...cp1, name: 'cp9', roles: ['control-plane']};
		assert.doesNotMatch(healthScript(worker, '198.18.0.100'), /socat|ip -o/);
		assert.deepEqual(parseNodeHealth(worker, 'stashed /etc/kubernetes/kubeha-drill/kube-apiserver.yaml\n'), {
			node: 'cp9',
			backends: [],
			stashed: ['/etc/kubernetes/kubeha-drill/kube-apiserver.yaml'],
		});
	});
});
