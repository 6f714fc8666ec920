import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {NotModelled} from './stand-ins/lib/not-modelled.ts';
import {
	buildService,
	expandCommand,
	parseEnvironmentFile,
	parseUnitText,
	type Service,
	splitWords,
} from './stand-ins/lib/unit-file.ts';

// The [Service] and [Install] parts of Debian 12's units, as shipped by haproxy 2.6.12 and etcd-server 3.4.23.
const haproxyUnit = `[Unit]
Description=HAProxy Load Balancer
After=network-online.target rsyslog.service

[Service]
EnvironmentFile=-/etc/default/haproxy
EnvironmentFile=-/etc/sysconfig/haproxy
BindReadOnlyPaths=/dev/log:/var/lib/haproxy/dev/log
Environment="CONFIG=/etc/haproxy/haproxy.cfg" "PIDFILE=/run/haproxy.pid" "EXTRAOPTS=-S /run/haproxy-master.sock"
ExecStart=/usr/sbin/haproxy -Ws -f $CONFIG -p $PIDFILE $EXTRAOPTS
ExecReload=/usr/sbin/haproxy -Ws -f $CONFIG -c -q $EXTRAOPTS
ExecReload=/bin/kill -USR2 $MAINPID
KillMode=mixed
Restart=always
SuccessExitStatus=143
Type=notify

# NoNewPrivileges=true

[Install]
WantedBy=multi-user.target
`;

const etcdUnit = `[Unit]
Description=etcd - highly-available key value store

[Service]
Environment=DAEMON_ARGS=
Environment=ETCD_NAME=%H
Environment=ETCD_DATA_DIR=/var/lib/etcd/default
EnvironmentFile=-/etc/default/%p
Type=notify
User=etcd
PermissionsStartOnly=true
#ExecStart=/bin/sh -c "GOMAXPROCS=$(nproc) /usr/bin/etcd $DAEMON_ARGS"
ExecStart=/usr/bin/etcd $DAEMON_ARGS
Restart=on-abnormal
LimitNOFILE=65536

[Install]
WantedBy=multi-user.target
Alias=etcd2.service
`;

function service(name: string, ...files: string[]): Service {
	const assignments = files.flatMap((text, index) => parseUnitText(text, `file${index}`));
	return buildService(assignments, {unitName: name, hostname: 'lab-h1'});
}

function environmentOf(unit: Service): Record<string, string> {
	return Object.fromEntries(unit.environment);
}

describe('unit files for the systemctl stand-in', () => {
	test("Debian's haproxy.service: quoted Environment= pairs expand into ExecStart and ExecReload", () => {
		const haproxy = service('haproxy.service', haproxyUnit);
		const variables = {...environmentOf(haproxy), MAINPID: '42'};
		assert.equal(haproxy.type, 'notify');
		assert.equal(haproxy.killMode, 'mixed');
		assert.deepEqual(haproxy.successExitStatus, [143]);
		assert.deepEqual(
			haproxy.execStart.map((command) => expandCommand(command, variables)),
			[
				[
					'/usr/sbin/haproxy',
					'-Ws',
					'-f',
					'/etc/haproxy/haproxy.cfg',
					'-p',
					'/run/haproxy.pid',
					'-S',
					'/run/haproxy-master.sock',
				],
			],
		);
		assert.deepEqual(
			haproxy.execReload.map((command) => expandCommand(command, variables)),
			[
				['/usr/sbin/haproxy', '-Ws', '-f', '/etc/haproxy/haproxy.cfg', '-c', '-q', '-S', '/run/haproxy-master.sock'],
				['/bin/kill', '-USR2', '42'],
			],
		);
		assert.deepEqual(haproxy.environmentFiles, [
			{path: '/etc/default/haproxy', optional: true},
			{path: '/etc/sysconfig/haproxy', optional: true},
		]);
		assert.deepEqual(haproxy.wantedBy, ['multi-user.target']);
	});

	test("Debian's etcd.service: specifiers, User=, Alias= and an empty $DAEMON_ARGS", () => {
		const etcd = service('etcd.service', etcdUnit);
		assert.equal(new Map(etcd.environment).get('ETCD_NAME'), 'lab-h1');
		assert.deepEqual(etcd.environmentFiles, [{path: '/etc/default/etcd', optional: true}]);
		assert.equal(etcd.user, 'etcd');
		assert.equal(etcd.permissionsStartOnly, true);
		assert.deepEqual(etcd.alias, ['etcd2.service']);
		assert.deepEqual(
			etcd.execStart.map((command) => expandCommand(command, environmentOf(etcd))),
			[['/usr/bin/etcd']],
		);
	});

	test("Restart=, RestartSec= and the start limit: systemd's defaults, Debian's units, a drop-in", () => {
		const haproxy = service('haproxy.service', haproxyUnit);
		assert.deepEqual(
			[haproxy.restart, haproxy.restartMs, haproxy.startLimit],
			['always', 100, {intervalMs: 10_000, burst: 5}],
		);
		assert.equal(service('etcd.service', etcdUnit).restart, 'on-abnormal');
		const dropIn =
			'[Unit]\nStartLimitIntervalSec=1min 30s\nStartLimitBurst=3\n[Service]\nRestart=on-failure\nRestartSec=1.5\n';
		const changed = service('haproxy.service', haproxyUnit, dropIn);
		assert.deepEqual(
			[changed.restart, changed.restartMs, changed.startLimit],
			['on-failure', 1500, {intervalMs: 90_000, burst: 3}],
		);
		assert.equal(service('x.service', '[Service]\nExecStart=/bin/true\nRestartSec=250ms\n').restartMs, 250);
		assert.throws(() => service('x.service', '[Service]\nExecStart=/bin/true\nRestart=sometimes\n'), NotModelled);
		assert.throws(() => service('x.service', '[Service]\nExecStart=/bin/true\nRestartSec=infinity\n'), NotModelled);
		assert.throws(
			() => service('x.service', '[Service]\nType=oneshot\nExecStart=/bin/true\nRestart=always\n'),
			/isn't allowed for Type=oneshot/,
		);
	});

	test('a drop-in empties ExecStart= and sets a new one', () => {
		const dropIn = '[Service]\nExecStart=\nExecStart=-/usr/bin/etcd --name x\n';
		const etcd = service('etcd.service', etcdUnit, dropIn);
		assert.deepEqual(
			etcd.execStart.map((command) => [command.words, command.ignoreFailure]),
			[[['/usr/bin/etcd', '--name', 'x'], true]],
		);
	});

	test('a braced variable inside a word stays one word, $NAME alone splits, $$ is a dollar', () => {
		const [command] = service(
			'x.service',
			// biome-ignore lint/suspicious/noTemplateCurlyInString: ${A} is systemd's syntax here.
			'[Service]\nExecStart=/bin/echo --flags=${A} $A $$HOME "two words"\n',
		).execStart;
		assert.ok(command);
		assert.deepEqual(expandCommand(command, {A: 'a b'}), ['/bin/echo', '--flags=a b', 'a', 'b', '$HOME', 'two words']);
	});

	test('line continuations are joined', () => {
		const [command] = service('x.service', '[Service]\nExecStart=/bin/echo one \\\n  two\n').execStart;
		assert.deepEqual(command?.words, ['/bin/echo', 'one', 'two']);
	});

	test('environment files: quotes, comments and blank lines', () => {
		const text = '# comment\n\nETCD_NAME=lab-h1\nDAEMON_ARGS=""\nQUOTED="a \\"b\\" c"\nSINGLE=\'x y\'\n';
		assert.deepEqual(parseEnvironmentFile(text, '/etc/etcd/etcd.env'), [
			['ETCD_NAME', 'lab-h1'],
			['DAEMON_ARGS', ''],
			['QUOTED', 'a "b" c'],
			['SINGLE', 'x y'],
		]);
	});

	const refused: Array<[string, string, RegExp]> = [
		[
			'an unknown key',
			'[Service]\nExecStart=/bin/true\nProtectSystem=strict\n',
			/file0:3: ProtectSystem= in \[Service\]/,
		],
		['an unknown section', '[Socket]\nListenStream=80\n', /section \[Socket\]/],
		[
			'Type=dbus',
			'[Service]\nType=dbus\nExecStart=/bin/true\n',
			/file0:2: Type=dbus \(modelled: simple, exec, notify, forking, oneshot\)/,
		],
		['a relative ExecStart', '[Service]\nExecStart=true\n', /"true" is not an absolute path/],
		['the + prefix', '[Service]\nExecStart=+/bin/true\n', /command prefix "\+"/],
		['an unknown specifier', '[Service]\nExecStart=/bin/echo %Z\n', /specifier %Z/],
		[
			'two ExecStart= for Type=simple',
			'[Service]\nExecStart=/bin/a\nExecStart=/bin/b\n',
			/exactly one ExecStart=, found 2/,
		],
		['Type=forking without PIDFile=', '[Service]\nType=forking\nExecStart=/bin/true\n', /without PIDFile=/],
		[
			'an environment line that is not KEY=value',
			'[Service]\nEnvironment=novalue\nExecStart=/bin/true\n',
			/"novalue" is not NAME=value/,
		],
	];
	for (const [what, text, message] of refused) {
		test(`refuses ${what} loudly`, () => {
			assert.throws(
				() => service('x.service', text),
				(error: unknown) => {
					assert.ok(error instanceof NotModelled);
					assert.match(error.message, message);
					return true;
				},
			);
		});
	}

	test('refuses an environment file line it cannot read', () => {
		assert.throws(() => parseEnvironmentFile('export A=1\n', '/etc/default/x'), /\/etc\/default\/x:1: cannot read/);
	});

	test('splitWords keeps quoted spaces and backslash escapes', () => {
		assert.deepEqual(splitWords(`a "b c" 'd e' f\\ g ""`), ['a', 'b c', 'd e', 'f g', '']);
	});
});
