import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {findingsOf, fires, nodeNamed, silent} from '../../helpers/spec.ts';

describe('vip-required', () => {
	it("fires without a VIP and suggests a free address in the nodes' network", () => {
		const finding = fires('vip-required', (draft) => {
			delete draft.loadBalancer.vip;
		});
		assert.equal(finding.path, 'loadBalancer.vip');
		assert.match(finding.fix, /192\.168\.1\.254\/24/);
	});

	it('fires with kube-vip too', () => {
		fires(
			'vip-required',
			(draft) => {
				delete draft.loadBalancer.vip;
			},
			'kube-vip',
		);
	});

	it('stays silent with an external load balancer', () => {
		silent('vip-required', undefined, 'external-load-balancer');
	});
});

describe('vip-address', () => {
	const withVip = (vip: string) =>
		fires('vip-address', (draft) => {
			draft.loadBalancer.vip = vip;
		});

	it('fires without a prefix length and suggests one', () => {
		const finding = withVip('192.168.1.94');
		assert.match(finding.message, /no prefix length/);
		assert.match(finding.fix, /"192\.168\.1\.94\/24"/);
	});

	it('says IPv6 is not supported yet', () => {
		assert.match(withVip('fd00::94/64').message, /IPv6/);
	});

	it('fires on a loopback address and on a prefix shorter than /8', () => {
		assert.match(withVip('127.0.0.5/8').message, /loopback/);
		assert.match(withVip('192.168.1.94/4').message, /\/4 covers/);
	});

	it('accepts an address with its prefix', () => {
		silent('vip-address', (draft) => {
			draft.loadBalancer.vip = '192.168.1.200/24';
		});
	});
});

describe('vip-holder-subnet', () => {
	it('fires when the load-balancer nodes are outside the VIP network', () => {
		const finding = fires('vip-holder-subnet', (draft) => {
			draft.loadBalancer.vip = '192.168.2.94/24';
		});
		assert.match(finding.message, /cp1 \(192\.168\.1\.91\), cp2 \(192\.168\.1\.92\) and cp3/);
		assert.match(finding.fix, /192\.168\.1\.0\/24/);
	});

	it('fires on a /32 VIP, which holds no node', () => {
		fires('vip-holder-subnet', (draft) => {
			draft.loadBalancer.vip = '192.168.1.94/32';
		});
	});

	it('checks every control plane with kube-vip', () => {
		const finding = fires(
			'vip-holder-subnet',
			(draft) => {
				nodeNamed(draft, 'cp3').address = '172.16.11.13';
			},
			'kube-vip',
		);
		assert.match(finding.message, /cp3/);
		assert.doesNotMatch(finding.message, /cp1/);
	});

	it('ignores nodes that never hold the VIP', () => {
		silent(
			'vip-holder-subnet',
			(draft) => {
				nodeNamed(draft, 'worker1').address = '172.16.11.21';
			},
			'kube-vip',
		);
	});

	it('stays silent when a wider prefix covers the nodes', () => {
		silent('vip-holder-subnet', (draft) => {
			draft.loadBalancer.vip = '192.168.2.94/16';
		});
	});
});

describe('vip-is-node-address', () => {
	it('fires when the VIP is a node address', () => {
		const finding = fires('vip-is-node-address', (draft) => {
			draft.loadBalancer.vip = '192.168.1.101/24';
		});
		assert.match(finding.message, /worker1/);
		assert.match(finding.fix, /192\.168\.1\.254\/24/);
	});

	it('stays silent on a free address', () => {
		silent('vip-is-node-address');
	});
});

describe('vip-network-address', () => {
	it('fires on the network address', () => {
		const finding = fires('vip-network-address', (draft) => {
			draft.loadBalancer.vip = '192.168.1.0/24';
		});
		assert.match(finding.message, /network address of 192\.168\.1\.0\/24/);
	});

	it('fires on the broadcast address', () => {
		const finding = fires('vip-network-address', (draft) => {
			draft.loadBalancer.vip = '192.168.1.255/24';
		});
		assert.match(finding.message, /broadcast address/);
	});

	it('stays silent when the same address is a host address of a wider network', () => {
		silent('vip-network-address', (draft) => {
			draft.loadBalancer.vip = '192.168.1.255/16';
		});
	});
});

describe('vip-in-cluster-subnet', () => {
	it('fires when the VIP is inside the service subnet', () => {
		const finding = fires('vip-in-cluster-subnet', (draft) => {
			draft.kubernetes.serviceSubnet = '192.168.1.0/26';
			draft.loadBalancer.vip = '192.168.1.20/24';
		});
		assert.match(finding.message, /kubernetes\.serviceSubnet/);
	});

	it('fires when the VIP is inside the pod subnet, besides the overlap with the nodes', () => {
		const findings = findingsOf(undefined, (draft) => {
			draft.kubernetes.podSubnet = '192.168.0.0/16';
		});
		assert.deepEqual(findings.map((finding) => finding.rule).sort(), ['subnet-overlap', 'vip-in-cluster-subnet']);
	});

	it('stays silent when the subnets are elsewhere', () => {
		silent('vip-in-cluster-subnet');
	});
});
