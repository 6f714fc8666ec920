import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {fires, nodeNamed, silent} from '../../helpers/spec.ts';

describe('pod-subnet and service-subnet', () => {
	it('fires on a pod subnet without a prefix length', () => {
		const finding = fires('pod-subnet', (draft) => {
			draft.kubernetes.podSubnet = '10.244.0.0';
		});
		assert.equal(finding.path, 'kubernetes.podSubnet');
		assert.match(finding.fix, /"10\.244\.0\.0\/16"/);
	});

	it('says an IPv6 service subnet is not supported yet', () => {
		const finding = fires('service-subnet', (draft) => {
			draft.kubernetes.serviceSubnet = 'fd00:10:96::/108';
		});
		assert.match(finding.message, /IPv6/);
	});

	it('accepts IPv4 networks', () => {
		silent('pod-subnet', (draft) => {
			draft.kubernetes.podSubnet = '10.32.0.0/12';
		});
		silent('service-subnet');
	});
});

describe('subnet-host-bits', () => {
	it('warns when host bits are set and gives the network', () => {
		const finding = fires('subnet-host-bits', (draft) => {
			draft.kubernetes.podSubnet = '10.244.1.0/16';
		});
		assert.equal(finding.severity, 'warning');
		assert.match(finding.fix, /"10\.244\.0\.0\/16"/);
	});

	it('stays silent on a network address', () => {
		silent('subnet-host-bits', (draft) => {
			draft.kubernetes.podSubnet = '10.244.0.0/16';
		});
	});
});

describe('pod-subnet-size', () => {
	const withPodSubnet = (subnet: string, example?: 'external-etcd') =>
		fires(
			'pod-subnet-size',
			(draft) => {
				draft.kubernetes.podSubnet = subnet;
			},
			example,
		);

	it('fires when the subnet is smaller than one node range', () => {
		assert.match(withPodSubnet('10.244.0.0/25').message, /smaller than the \/24/);
	});

	it('fires when kubeadm would refuse the size', () => {
		assert.match(withPodSubnet('10.0.0.0/7').message, /more than 16 bits/);
	});

	it('fires when there are fewer node ranges than kubelets', () => {
		const finding = withPodSubnet('10.244.0.0/22');
		assert.match(finding.message, /room for 4 \/24 node ranges, but 5 nodes run a kubelet/);
		assert.match(finding.fix, /\/21/);
	});

	it('counts only nodes that run a kubelet', () => {
		// external-etcd lists 10 nodes, of which the 3 control planes and 2 workers run a kubelet.
		assert.match(withPodSubnet('10.244.0.0/22', 'external-etcd').message, /5 nodes run a kubelet/);
		silent(
			'pod-subnet-size',
			(draft) => {
				draft.kubernetes.podSubnet = '10.244.0.0/21';
			},
			'external-etcd',
		);
	});
});

describe('service-subnet-size', () => {
	const withServiceSubnet = (subnet: string) =>
		fires('service-subnet-size', (draft) => {
			draft.kubernetes.serviceSubnet = subnet;
		});

	it('fires when kube-apiserver would refuse the size', () => {
		const finding = withServiceSubnet('10.0.0.0/11');
		assert.match(finding.message, /mask must be >= 12/);
		assert.match(finding.fix, /"10\.0\.0\.0\/12"/);
	});

	it('fires when there is no 10th address for cluster DNS', () => {
		assert.match(withServiceSubnet('10.96.0.0/29').message, /10th address/);
	});

	it('accepts /12 and /28', () => {
		for (const subnet of ['10.96.0.0/12', '10.96.0.0/28']) {
			silent('service-subnet-size', (draft) => {
				draft.kubernetes.serviceSubnet = subnet;
			});
		}
	});
});

describe('subnet-overlap', () => {
	it('fires when the pod and service subnets overlap, and suggests a free range', () => {
		const finding = fires('subnet-overlap', (draft) => {
			draft.kubernetes.podSubnet = '10.96.0.0/16';
		});
		assert.equal(finding.path, 'kubernetes.podSubnet');
		assert.match(finding.fix, /"10\.244\.0\.0\/16"/);
	});

	it('fires when a subnet holds node addresses', () => {
		const finding = fires('subnet-overlap', (draft) => {
			draft.kubernetes.serviceSubnet = '192.168.1.96/28';
		});
		assert.equal(finding.path, 'kubernetes.serviceSubnet');
		assert.match(finding.message, /worker1 \(192\.168\.1\.101\) and worker2/);
	});

	it('fires when a subnet overlaps the VIP network', () => {
		const finding = fires('subnet-overlap', (draft) => {
			draft.kubernetes.serviceSubnet = '192.168.1.128/25';
		});
		assert.match(finding.message, /192\.168\.1\.0\/24, the network of loadBalancer\.vip/);
	});

	it('stays silent when node addresses move out of the way', () => {
		silent('subnet-overlap', (draft) => {
			draft.kubernetes.serviceSubnet = '192.168.1.96/28';
			draft.loadBalancer.vip = '192.168.1.94/27';
			nodeNamed(draft, 'worker1').address = '192.168.1.61';
			nodeNamed(draft, 'worker2').address = '192.168.1.62';
		});
	});
});
