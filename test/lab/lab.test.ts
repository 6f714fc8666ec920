import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {after, before, describe, test} from 'node:test';
import {setTimeout as delay} from 'node:timers/promises';
import {isRunning, labLinks, labMounts, labNamespaces, labProcesses} from './cleanup.ts';
import {runProcess} from './host-process.ts';
import {type ExecResult, type Lab, type LabHost, labAvailable, startLab} from './lab.ts';

const availability = labAvailable({commands: ['keepalived', 'haproxy', 'etcd', 'etcdctl']});

/** Polls `check` every 100 ms until it holds; fails after `timeoutMs` saying what was awaited. */
async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await delay(100);
	}
}

function succeeded(result: ExecResult): string {
	assert.equal(result.code, 0, `exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
	return result.stdout;
}

async function addresses(lab: Lab, host: LabHost): Promise<string> {
	return succeeded(await lab.exec(host, `ip -4 -o address show dev ${host.interface}`));
}

function keepalivedConf(host: LabHost, priority: number, vips: readonly string[]): string {
	return `global_defs { router_id ${host.name} }
vrrp_instance VI_1 {
	state ${priority > 100 ? 'MASTER' : 'BACKUP'}
	interface ${host.interface}
	virtual_router_id 42
	priority ${priority}
	advert_int 1
	virtual_ipaddress {
${vips.map((vip) => `\t\t${vip}/24\n`).join('')}	}
}
`;
}

/** An haproxy that answers HTTP with the host's name: fetching through the VIP shows which host holds it. */
function haproxyConf(host: LabHost, ports: readonly number[]): string {
	return `global
	log stdout format raw local0
defaults
	mode http
	timeout connect 5s
	timeout client 30s
	timeout server 30s
frontend whoami
${ports.map((port) => `\tbind :${port}\n`).join('')}	http-request return status 200 content-type text/plain string "${host.name}"
`;
}

/** The body of an HTTP GET, or undefined when nothing answers (yet). */
async function get(url: string): Promise<string | undefined> {
	try {
		const response = await fetch(url, {signal: AbortSignal.timeout(2000)});
		return await response.text();
	} catch {
		return undefined;
	}
}

function whoAnswers(address: string, port = 8080): Promise<string | undefined> {
	return get(`http://${address}:${port}/`);
}

describe('the lab', {skip: availability.ok ? false : availability.reason, timeout: 110_000}, () => {
	let lab: Lab;
	let h1: LabHost;
	let h2: LabHost;
	let h3: LabHost;

	before(async () => {
		lab = await startLab({hosts: 3});
		[h1, h2, h3] = lab.hosts as [LabHost, LabHost, LabHost];
	});
	after(async () => {
		await lab?.stop();
	});

	/** Over real ssh, as the product will; a short time-out names the command that hangs instead of the whole suite. */
	function ssh(host: LabHost, command: string): Promise<ExecResult> {
		return lab.ssh(host, command, {timeoutMs: 20_000});
	}

	test('each host answers ssh with strict host key checking and has its own hostname', async () => {
		for (const host of lab.hosts) {
			assert.equal(succeeded(await ssh(host, 'hostname')), `${host.name}\n`);
		}
	});

	test('the ssh_config file reaches hosts by name', async () => {
		const result = await runProcess('ssh', ['-F', lab.sshConfigFile, h3.name, 'hostname; cat /etc/hostname']);
		assert.equal(succeeded(result), `${h3.name}\n${h3.name}\n`);
	});

	test('ssh sessions find the stand-ins first on PATH', async () => {
		const found = succeeded(await ssh(h1, 'command -v systemctl apt-get apt-mark'));
		assert.equal(found, '/usr/local/sbin/systemctl\n/usr/local/sbin/apt-get\n/usr/local/sbin/apt-mark\n');
	});

	test('a file written below /etc on one host is not seen by another host or the machine', async () => {
		succeeded(await ssh(h1, 'echo only on lab-h1 > /etc/keepalived/lab-isolation'));
		assert.equal(succeeded(await lab.exec(h1, 'cat /etc/keepalived/lab-isolation')), 'only on lab-h1\n');
		assert.equal((await ssh(h2, 'test -e /etc/keepalived/lab-isolation')).code, 1);
		assert.equal(existsSync('/etc/keepalived/lab-isolation'), false);
	});

	test("Debian's keepalived and haproxy units run under the systemctl stand-in, and the VIP fails over", async () => {
		const vip = lab.address(100);
		for (const [host, priority] of [
			[h1, 150],
			[h2, 100],
		] as const) {
			await lab.writeFile(host, '/etc/keepalived/keepalived.conf', keepalivedConf(host, priority, [vip]));
			await lab.writeFile(host, '/etc/default/keepalived', 'DAEMON_ARGS="--log-console"\n');
			await lab.writeFile(host, '/etc/haproxy/haproxy.cfg', haproxyConf(host, [8080]));
			const started = await ssh(host, 'systemctl start haproxy keepalived && systemctl is-active haproxy keepalived');
			assert.equal(succeeded(started), 'active\nactive\n');
		}
		await waitUntil(`${vip} on ${h1.name}`, async () => (await addresses(lab, h1)).includes(`${vip}/24`));
		assert.doesNotMatch(await addresses(lab, h2), new RegExp(`${vip}/`));
		assert.equal(await whoAnswers(vip), h1.name);

		// haproxy reload: ExecReload checks the new configuration, then USR2 makes the same master load it.
		const mainPid = succeeded(await ssh(h1, 'systemctl show -p MainPID --value haproxy'));
		await lab.writeFile(h1, '/etc/haproxy/haproxy.cfg', haproxyConf(h1, [8080, 8081]));
		succeeded(await ssh(h1, 'systemctl reload haproxy'));
		await waitUntil(
			'haproxy on port 8081 after the reload',
			async () => (await whoAnswers(h1.address, 8081)) === h1.name,
		);
		assert.equal(succeeded(await ssh(h1, 'systemctl show -p MainPID --value haproxy')), mainPid);

		// keepalived reload (SIGHUP via ExecReload): the MASTER takes on a second address from its new configuration.
		const secondVip = lab.address(101);
		await lab.writeFile(h1, '/etc/keepalived/keepalived.conf', keepalivedConf(h1, 150, [vip, secondVip]));
		succeeded(await ssh(h1, 'systemctl reload keepalived'));
		await waitUntil(`${secondVip} on ${h1.name}`, async () => (await addresses(lab, h1)).includes(`${secondVip}/24`));

		// Stopping the MASTER's keepalived moves the VIP to the BACKUP.
		const stopped = await ssh(h1, 'systemctl stop keepalived && systemctl is-active keepalived');
		assert.deepEqual([stopped.code, stopped.stdout], [3, 'inactive\n']);
		assert.equal((await ssh(h1, 'systemctl status keepalived')).code, 3);
		await waitUntil(`${vip} on ${h2.name}`, async () => (await addresses(lab, h2)).includes(`${vip}/24`));
		assert.doesNotMatch(await addresses(lab, h1), new RegExp(`${vip}/`));
		assert.equal(await whoAnswers(vip), h2.name);
		assert.equal(succeeded(await lab.exec(h1, 'pgrep -c keepalived || true')).trim(), '0');
	});

	test("Debian's etcd unit as shipped runs as the etcd user, named after the host (%H)", async () => {
		const pid = succeeded(await ssh(h3, 'systemctl start etcd && systemctl show -p MainPID --value etcd')).trim();
		assert.equal(succeeded(await lab.exec(h3, `ps -o user= -p ${pid}`)).trim(), 'etcd');
		await waitUntil('etcd on lab-h3 to be healthy', async () => {
			const health = await lab.exec(h3, 'ETCDCTL_API=3 etcdctl --endpoints=127.0.0.1:2379 endpoint health');
			return health.code === 0;
		});
		assert.match(succeeded(await lab.exec(h3, 'ETCDCTL_API=3 etcdctl member list')), /, lab-h3, /);
	});

	test('the etcd unit kubeha writes: EnvironmentFile=, enable --now, and daemon-reload enforced', async () => {
		const peer = `http://${h2.address}:2380`;
		await lab.writeFile(
			h2,
			'/etc/etcd/etcd.env',
			[
				'ETCD_NAME=lab-h2',
				'ETCD_DATA_DIR=/var/lib/etcd',
				`ETCD_LISTEN_CLIENT_URLS=http://${h2.address}:2379`,
				`ETCD_ADVERTISE_CLIENT_URLS=http://${h2.address}:2379`,
				`ETCD_LISTEN_PEER_URLS=${peer}`,
				`ETCD_INITIAL_ADVERTISE_PEER_URLS=${peer}`,
				`ETCD_INITIAL_CLUSTER=lab-h2=${peer}`,
				'ETCD_INITIAL_CLUSTER_STATE=new',
				'',
			].join('\n'),
		);
		const unit = `[Unit]
Description=etcd (written by kubeha)
[Service]
Type=notify
EnvironmentFile=/etc/etcd/etcd.env
ExecStart=/usr/bin/etcd
Restart=always
[Install]
WantedBy=multi-user.target
`;
		await lab.writeFile(h2, '/etc/systemd/system/etcd.service', unit);
		const enabled = await ssh(
			h2,
			'systemctl daemon-reload && systemctl enable --now etcd && systemctl is-enabled etcd && systemctl show -p FragmentPath,ActiveState etcd',
		);
		assert.equal(succeeded(enabled), 'enabled\nFragmentPath=/etc/systemd/system/etcd.service\nActiveState=active\n');
		await waitUntil('etcd on lab-h2 to answer /health', async () =>
			/"health":"true"/.test((await get(`http://${h2.address}:2379/health`)) ?? ''),
		);

		// Real systemd would restart the old definition after an edit without daemon-reload: the stand-in refuses.
		await lab.writeFile(h2, '/etc/systemd/system/etcd.service', `${unit}# edited\n`);
		const restart = await ssh(h2, 'systemctl restart etcd');
		assert.equal(restart.code, 1);
		assert.match(restart.stderr, /Run 'systemctl daemon-reload'/);
		succeeded(await ssh(h2, 'systemctl daemon-reload && systemctl restart etcd && systemctl is-active etcd'));
	});

	test('Type=forking and Type=oneshot units, ExecStartPre= and an unmet condition', async () => {
		const units = {
			'lab-forking':
				'[Service]\nType=forking\nPIDFile=/run/lab-forking.pid\nExecStart=/bin/sh -c "sleep 600 & echo $$! > /run/lab-forking.pid"\n',
			'lab-oneshot': '[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/touch /run/lab-oneshot-ran\n',
			'lab-pre-fails': '[Service]\nExecStartPre=/bin/false\nExecStart=/bin/sleep 600\n',
			'lab-pre-may-fail': '[Service]\nExecStartPre=-/bin/false\nExecStart=/bin/sleep 600\n',
		};
		for (const [name, text] of Object.entries(units))
			await lab.writeFile(h3, `/etc/systemd/system/${name}.service`, text);
		await lab.writeFile(h3, '/etc/keepalived/keepalived.conf', '');
		const script = [
			'systemctl start lab-forking; systemctl is-active lab-forking',
			'ps -o comm= -p "$(systemctl show -p MainPID --value lab-forking)"',
			'systemctl stop lab-forking; systemctl is-active lab-forking; pgrep -x sleep || echo no sleep left',
			'systemctl start lab-oneshot; systemctl is-active lab-oneshot; ls /run/lab-oneshot-ran',
			'systemctl start lab-pre-fails 2>/dev/null; echo "start: $?"; systemctl is-active lab-pre-fails',
			'systemctl start lab-pre-may-fail; systemctl is-active lab-pre-may-fail',
			'systemctl start keepalived; echo "start: $?"; systemctl is-active keepalived',
			'systemctl status keepalived | grep -o "ConditionFileNotEmpty=/etc/keepalived/keepalived.conf was not met"',
		];
		const expected = [
			...['active', 'sleep', 'inactive', 'no sleep left'],
			...['active', '/run/lab-oneshot-ran'],
			...['start: 1', 'failed'],
			'active',
			...['start: 0', 'inactive', 'ConditionFileNotEmpty=/etc/keepalived/keepalived.conf was not met'],
		];
		assert.equal((await ssh(h3, script.join('\n'))).stdout, `${expected.join('\n')}\n`);
	});

	test('Restart=: a killed main process comes back after RestartSec=, a stop stays a stop, the start limit holds', async () => {
		const units = {
			'lab-always': '[Service]\nExecStart=/bin/sleep 600\nRestart=always\nRestartSec=2s\n',
			'lab-on-failure': '[Service]\nExecStart=/bin/sh -c "sleep 0.5; exit 0"\nRestart=on-failure\n',
			'lab-no-restart': '[Service]\nExecStart=/bin/sleep 600\n',
			'lab-crash-loop':
				'[Unit]\nStartLimitBurst=3\n[Service]\nExecStart=/bin/sh -c "sleep 0.2; exit 3"\nRestart=always\n',
		};
		for (const [name, text] of Object.entries(units))
			await lab.writeFile(h3, `/etc/systemd/system/${name}.service`, text);
		const pid = (unit: string) => `systemctl show -p MainPID --value ${unit}`;
		const script = [
			'systemctl start lab-always lab-on-failure lab-no-restart lab-crash-loop',
			`first=$(${pid('lab-always')}); kill -9 "$first"; sleep 0.7; systemctl is-active lab-always`,
			`sleep 2; systemctl is-active lab-always; [ "$(${pid('lab-always')})" != "$first" ] && echo new pid`,
			`kill -9 "$(${pid('lab-no-restart')})"; sleep 0.5; systemctl is-active lab-no-restart`,
			'systemctl is-active lab-on-failure',
			// Its own process, by pid: the crash-looping unit's `sleep` may be running at this moment.
			`last=$(${pid('lab-always')}); systemctl stop lab-always; sleep 0.6; systemctl is-active lab-always; kill -0 "$last" 2>/dev/null || echo no sleep left`,
			'sleep 0.5; systemctl is-active lab-crash-loop',
			'systemctl start lab-crash-loop 2>&1 | grep -o "attempted too often"',
			'systemctl reset-failed lab-crash-loop; systemctl start lab-crash-loop; systemctl is-active lab-crash-loop',
			'systemctl stop lab-crash-loop',
		];
		const expected = [
			...['activating', 'active', 'new pid'],
			'failed',
			'inactive',
			...['inactive', 'no sleep left'],
			...['failed', 'attempted too often', 'active'],
		];
		assert.equal((await ssh(h3, script.join('\n'))).stdout, `${expected.join('\n')}\n`);
	});

	test('systemctl fails loudly on what it does not model', async () => {
		const unknownVerb = await ssh(h1, 'systemctl mask keepalived');
		assert.equal(unknownVerb.code, 1);
		assert.match(unknownVerb.stderr, /stand-in.*not modelled: verb "mask"/);
		await lab.writeFile(h1, '/etc/systemd/system/bus.service', '[Service]\nType=dbus\nExecStart=/bin/true\n');
		const dbus = await ssh(h1, 'systemctl start bus');
		assert.equal(dbus.code, 1);
		assert.match(dbus.stderr, /not modelled: \/etc\/systemd\/system\/bus.service:2: Type=dbus/);
		const missing = await ssh(h1, 'systemctl start no-such-unit');
		assert.deepEqual(
			[missing.code, missing.stderr],
			[5, 'Failed to start no-such-unit.service: Unit no-such-unit.service not found.\n'],
		);
	});

	test('apt-get and apt-mark stand-ins accept installed packages only', async () => {
		succeeded(await ssh(h1, 'apt-get update && apt-get install -y keepalived haproxy etcd-server'));
		const notInstalled = await ssh(h1, 'apt-get install -y kubernetes-cni');
		assert.equal(notInstalled.code, 100);
		assert.match(notInstalled.stderr, /kubernetes-cni is not installed on this machine/);
		const remove = await ssh(h1, 'apt-get remove -y keepalived');
		assert.equal(remove.code, 1);
		assert.match(remove.stderr, /not modelled: verb "remove"/);
		assert.equal(
			succeeded(await ssh(h1, 'apt-mark hold keepalived && apt-mark showhold')),
			'keepalived set on hold.\nkeepalived\n',
		);
		assert.equal(succeeded(await ssh(h2, 'apt-mark showhold')), '');
	});

	test('stop leaves no process, namespace, link, mount or file behind', async () => {
		const processes = labProcesses(lab.slot);
		assert.ok(processes.length > 3 * 2, `expected the hosts' processes, found ${processes.join(', ')}`);
		await lab.stop();
		assert.deepEqual(labNamespaces(lab.slot), []);
		assert.deepEqual(labLinks(lab.slot), []);
		assert.deepEqual(labMounts(lab.slot), []);
		assert.deepEqual(processes.filter(isRunning), []);
		assert.equal(existsSync(lab.directory), false);
	});
});
