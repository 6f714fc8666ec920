import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {fires, silent} from '../../helpers/spec.ts';

describe('port-range', () => {
	it('fires on ports outside 1-65535', () => {
		const cases = [
			{path: 'apiServer.bindPort', edit: (draft) => (draft.apiServer.bindPort = 0)},
			{path: 'ssh.port', edit: (draft) => (draft.ssh.port = 70_000)},
			{path: 'loadBalancer.statsPort', edit: (draft) => (draft.loadBalancer.statsPort = 65_536)},
			{path: 'loadBalancer.port', edit: (draft) => (draft.loadBalancer.port = -1)},
		] satisfies Array<{path: string; edit: Parameters<typeof fires>[1]}>;
		for (const {path, edit} of cases) {
			assert.equal(fires('port-range', edit).path, path);
		}
	});

	it('accepts 1 and 65535', () => {
		silent('port-range', (draft) => {
			draft.ssh.port = 1;
			draft.loadBalancer.statsPort = 65_535;
		});
	});
});

describe('apiserver-port-conflict', () => {
	it('fires when haproxy and kube-apiserver share a node and a port, and suggests 8443', () => {
		const finding = fires('apiserver-port-conflict', (draft) => {
			draft.loadBalancer.port = 6443;
		});
		assert.equal(finding.path, 'loadBalancer.port');
		assert.match(finding.message, /cp1, cp2 and cp3/);
		assert.match(finding.message, /Port 6443 is in use/);
		assert.match(finding.fix, /use 8443 for loadBalancer\.port/);
	});

	it('suggests another port when 8443 is taken too', () => {
		const finding = fires('apiserver-port-conflict', (draft) => {
			draft.loadBalancer.port = 6443;
			draft.loadBalancer.statsPort = 8443;
		});
		assert.match(finding.fix, /use 8444 for loadBalancer\.port/);
	});

	it('stays silent when haproxy runs on nodes of its own', () => {
		silent('apiserver-port-conflict', undefined, 'external-etcd');
	});

	it('stays silent with the derived default port', () => {
		silent('apiserver-port-conflict', (draft) => {
			delete draft.loadBalancer.port;
		});
	});
});

describe('port-conflict', () => {
	it('fires when the stats port is the kubelet port', () => {
		const finding = fires('port-conflict', (draft) => {
			draft.loadBalancer.statsPort = 10_250;
		});
		assert.equal(finding.path, 'loadBalancer.statsPort');
		assert.match(finding.message, /kubelet already listens on/);
		assert.match(finding.fix, /use 8404 for loadBalancer\.statsPort/);
	});

	it('fires when the stats port is the load-balancer port', () => {
		const finding = fires('port-conflict', (draft) => {
			draft.loadBalancer.statsPort = 8443;
		});
		assert.match(finding.message, /haproxy already listens on/);
	});

	it('fires when sshd would clash with stacked etcd', () => {
		const finding = fires('port-conflict', (draft) => {
			draft.ssh.port = 2379;
		});
		assert.equal(finding.path, 'ssh.port');
		assert.match(finding.message, /etcd \(clients\)/);
	});

	it('stays silent when the programs run on different nodes', () => {
		// The load balancers of external-etcd run no etcd and no kubelet.
		silent(
			'port-conflict',
			(draft) => {
				draft.loadBalancer.statsPort = 2379;
			},
			'external-etcd',
		);
	});
});

describe('nodeport-range', () => {
	it('warns when a node that runs kube-proxy listens inside 30000-32767', () => {
		const finding = fires('nodeport-range', (draft) => {
			draft.loadBalancer.port = 30_443;
		});
		assert.equal(finding.severity, 'warning');
		assert.equal(finding.path, 'loadBalancer.port');
	});

	it('stays silent on nodes without kube-proxy', () => {
		silent(
			'nodeport-range',
			(draft) => {
				draft.loadBalancer.port = 30_443;
			},
			'external-etcd',
		);
	});
});

describe('kube-vip-port', () => {
	it('fires when the VIP port differs from the API server port', () => {
		const finding = fires(
			'kube-vip-port',
			(draft) => {
				draft.loadBalancer.port = 8443;
			},
			'kube-vip',
		);
		assert.match(finding.fix, /set it to 6443/);
	});

	it('stays silent when they are equal', () => {
		silent(
			'kube-vip-port',
			(draft) => {
				draft.apiServer.bindPort = 7443;
				draft.loadBalancer.port = 7443;
			},
			'kube-vip',
		);
	});
});
