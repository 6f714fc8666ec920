import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {findingsOf, fires, nodeNamed, silent} from '../../helpers/spec.ts';

describe('interface-required', () => {
	it('fires when keepalived nodes have no interface, naming only those', () => {
		const finding = fires(
			'interface-required',
			(draft) => {
				delete draft.loadBalancer.interface;
			},
			'five-control-planes-unicast',
		);
		assert.equal(finding.path, 'loadBalancer.interface');
		assert.match(finding.message, /cp1, cp2, cp3 and cp5;/);
	});

	it('fires with kube-vip', () => {
		fires(
			'interface-required',
			(draft) => {
				delete draft.loadBalancer.interface;
			},
			'kube-vip',
		);
	});

	it('stays silent when every holder names its own interface', () => {
		silent('interface-required', (draft) => {
			delete draft.loadBalancer.interface;
			for (const name of ['cp1', 'cp2', 'cp3']) {
				nodeNamed(draft, name).interface = 'eth0';
			}
		});
	});
});

describe('endpoint-required', () => {
	it('fires in external mode without an endpoint', () => {
		const finding = fires(
			'endpoint-required',
			(draft) => {
				delete draft.loadBalancer.endpoint;
			},
			'external-load-balancer',
		);
		assert.equal(finding.path, 'loadBalancer.endpoint');
	});

	it('stays silent with one', () => {
		silent('endpoint-required', undefined, 'external-load-balancer');
	});
});

describe('external-endpoint', () => {
	const withEndpoint = (endpoint: string) =>
		fires(
			'external-endpoint',
			(draft) => {
				draft.loadBalancer.endpoint = endpoint;
			},
			'external-load-balancer',
		);

	it('fires on a URL and suggests host:port', () => {
		assert.match(withEndpoint('https://lb.example.com:6443/').fix, /"lb\.example\.com:6443"/);
	});

	it('fires without a port', () => {
		assert.match(withEndpoint('lb.example.com').fix, /"lb\.example\.com:6443"/);
	});

	it('says IPv6 is not supported yet', () => {
		assert.match(withEndpoint('[fd00::10]:6443').message, /IPv6/);
	});

	it('fires on a bad port and a bad host', () => {
		assert.match(withEndpoint('lb.example.com:0').message, /port "0"/);
		assert.match(withEndpoint('lb_example:6443').message, /host "lb_example"/);
	});

	it('accepts an IPv4 address with a port', () => {
		silent(
			'external-endpoint',
			(draft) => {
				draft.loadBalancer.endpoint = '10.0.1.100:6443';
			},
			'external-load-balancer',
		);
	});
});

describe('endpoint-is-node', () => {
	it('warns when the endpoint is a control plane, by address or by name', () => {
		for (const endpoint of ['10.0.1.11:6443', 'cp1:6443']) {
			const finding = fires(
				'endpoint-is-node',
				(draft) => {
					draft.loadBalancer.endpoint = endpoint;
				},
				'external-load-balancer',
			);
			assert.match(finding.message, /control plane cp1 itself/);
		}
	});

	it('stays silent for a load balancer', () => {
		silent('endpoint-is-node', undefined, 'external-load-balancer');
	});
});

describe('ignored-field', () => {
	it('warns on a VIP with an external load balancer', () => {
		const finding = fires(
			'ignored-field',
			(draft) => {
				draft.loadBalancer.vip = '10.0.1.10/24';
			},
			'external-load-balancer',
		);
		assert.equal(finding.path, 'loadBalancer.vip');
		assert.match(finding.fix, /remove loadBalancer\.vip/);
	});

	it('warns on an endpoint with keepalived-haproxy', () => {
		assert.equal(
			fires('ignored-field', (draft) => {
				draft.loadBalancer.endpoint = 'lb.example.com:6443';
			}).path,
			'loadBalancer.endpoint',
		);
	});

	it('warns on keepalived fields with kube-vip, but not on the schema defaults', () => {
		const paths = findingsOf(
			'ignored-field',
			(draft) => {
				draft.loadBalancer.unicast = true;
				draft.loadBalancer.statsPort = 1080;
				draft.loadBalancer.virtualRouterId = 77;
				draft.loadBalancer.deploy = 'static-pod';
				draft.loadBalancer.images = {haproxy: 'haproxy:2.8', kubeVip: 'ghcr.io/kube-vip/kube-vip:v1.2.3'};
			},
			'kube-vip',
		).map((finding) => finding.path);
		assert.deepEqual(paths, [
			'loadBalancer.deploy',
			'loadBalancer.unicast',
			'loadBalancer.statsPort',
			'loadBalancer.virtualRouterId',
			'loadBalancer.images.haproxy',
		]);
		silent('ignored-field', undefined, 'kube-vip');
	});

	it('warns on the role load-balancer and priorities with kube-vip', () => {
		const findings = findingsOf(
			'ignored-field',
			(draft) => {
				const node = nodeNamed(draft, 'worker1');
				node.roles = ['load-balancer'];
				node.priority = 100;
			},
			'kube-vip',
		);
		assert.deepEqual(
			findings.map((finding) => finding.path),
			['nodes[3].priority', 'nodes[3].roles'],
		);
		assert.match(findings[1]?.message ?? '', /worker1 runs nothing/);
	});

	it('warns on an interface for a node that never holds the VIP', () => {
		assert.equal(
			fires(
				'ignored-field',
				(draft) => {
					nodeNamed(draft, 'worker1').interface = 'eth1';
				},
				'kube-vip',
			).path,
			'nodes[3].interface',
		);
		silent(
			'ignored-field',
			(draft) => {
				nodeNamed(draft, 'cp1').interface = 'eth1';
			},
			'kube-vip',
		);
	});

	it('warns on a loadBalancer.port the external endpoint overrides', () => {
		const finding = fires(
			'ignored-field',
			(draft) => {
				draft.loadBalancer.port = 443;
			},
			'external-load-balancer',
		);
		assert.equal(finding.path, 'loadBalancer.port');
		silent(
			'ignored-field',
			(draft) => {
				draft.loadBalancer.port = 6443;
			},
			'external-load-balancer',
		);
	});
});
