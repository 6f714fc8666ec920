import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {fires, nodeNamed, silent} from '../../helpers/spec.ts';

describe('cluster-name', () => {
	it('fires on a name that is not a DNS-1123 label, and suggests one', () => {
		const finding = fires('cluster-name', (draft) => {
			draft.name = 'Prod_1';
		});
		assert.equal(finding.path, 'name');
		assert.match(finding.message, /"Prod_1".*"_"/);
		assert.match(finding.fix, /"prod-1"/);
	});

	it('fires on a name longer than 63 characters', () => {
		const finding = fires('cluster-name', (draft) => {
			draft.name = 'a'.repeat(64);
		});
		assert.match(finding.message, /64 characters/);
	});

	it('accepts a label with digits and dashes', () => {
		silent('cluster-name', (draft) => {
			draft.name = 'prod-1';
		});
	});
});

describe('node-name', () => {
	it('fires on upper case and suggests the lower-case name', () => {
		const finding = fires('node-name', (draft) => {
			nodeNamed(draft, 'cp2').name = 'CP2';
		});
		assert.equal(finding.path, 'nodes[1].name');
		assert.match(finding.message, /uppercase/);
		assert.match(finding.fix, /"cp2"/);
	});

	it('fires on characters a DNS name cannot hold', () => {
		const finding = fires('node-name', (draft) => {
			nodeNamed(draft, 'cp2').name = 'cp_2';
		});
		assert.match(finding.message, /"_"/);
		assert.match(finding.fix, /"cp-2"/);
	});

	it('accepts a fully qualified lower-case name', () => {
		silent('node-name', (draft) => {
			nodeNamed(draft, 'cp2').name = 'cp2.example.com';
		});
	});
});

describe('duplicate-node-name', () => {
	it('fires on the second node with a name', () => {
		const finding = fires('duplicate-node-name', (draft) => {
			nodeNamed(draft, 'worker2').name = 'worker1';
		});
		assert.equal(finding.path, 'nodes[4].name');
		assert.match(finding.message, /nodes\[3]\.name/);
	});

	it('stays silent when the names differ', () => {
		silent('duplicate-node-name', (draft) => {
			nodeNamed(draft, 'worker2').name = 'worker3';
		});
	});
});

describe('dns-domain', () => {
	it('fires on a trailing dot', () => {
		const finding = fires('dns-domain', (draft) => {
			draft.kubernetes.dnsDomain = 'cluster.local.';
		});
		assert.equal(finding.path, 'kubernetes.dnsDomain');
		assert.match(finding.fix, /"cluster\.local"/);
	});

	it('accepts another domain', () => {
		silent('dns-domain', (draft) => {
			draft.kubernetes.dnsDomain = 'k8s.example.internal';
		});
	});
});

describe('cert-san', () => {
	it('fires on a URL and suggests the bare host name', () => {
		const finding = fires('cert-san', (draft) => {
			draft.apiServer.certSANs = ['api.example.com', 'https://api.example.com:6443'];
		});
		assert.equal(finding.path, 'apiServer.certSANs[1]');
		assert.match(finding.fix, /"api\.example\.com"/);
	});

	it('fires on four numbers that are not an address', () => {
		const finding = fires('cert-san', (draft) => {
			draft.apiServer.certSANs = ['10.0.0.300'];
		});
		assert.match(finding.message, /not a valid IPv4 address/);
	});

	it('accepts names, wildcards and IPv4 and IPv6 addresses, as kubeadm does', () => {
		silent('cert-san', (draft) => {
			draft.apiServer.certSANs = ['api.example.com', '*.example.com', '10.0.0.5', 'fd00::5'];
		});
	});
});

describe('interface-name', () => {
	it('fires on an address label and suggests the interface', () => {
		const finding = fires('interface-name', (draft) => {
			draft.loadBalancer.interface = 'eth0:1';
		});
		assert.equal(finding.path, 'loadBalancer.interface');
		assert.match(finding.fix, /"eth0"/);
	});

	it('fires on a node interface longer than 15 bytes', () => {
		const finding = fires('interface-name', (draft) => {
			nodeNamed(draft, 'cp3').interface = 'enp0s31f6-uplink';
		});
		assert.equal(finding.path, 'nodes[2].interface');
		assert.match(finding.message, /16 bytes/);
	});

	it('accepts a VLAN interface of 15 bytes', () => {
		silent('interface-name', (draft) => {
			nodeNamed(draft, 'cp3').interface = 'enp0s31f6.1234';
		});
	});
});
