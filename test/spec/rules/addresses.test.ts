import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {fires, nodeNamed, silent} from '../../helpers/spec.ts';

describe('node-address', () => {
	const withCp2At = (address: string) =>
		fires('node-address', (draft) => {
			nodeNamed(draft, 'cp2').address = address;
		});

	it('says IPv6 is not supported yet', () => {
		const finding = withCp2At('fd00::92');
		assert.equal(finding.path, 'nodes[1].address');
		assert.match(finding.message, /IPv6.*not support/);
	});

	it('fires on an address with a prefix and suggests the bare address', () => {
		assert.match(withCp2At('192.168.1.92/24').fix, /"192\.168\.1\.92"/);
	});

	it('fires on a host name, leading zeros and a loopback address', () => {
		assert.match(withCp2At('cp2.example.com').message, /not an IPv4 address/);
		assert.match(withCp2At('192.168.001.92').message, /leading zeros/);
		assert.match(withCp2At('127.0.0.2').message, /loopback/);
	});

	it('accepts another address on the network', () => {
		silent('node-address', (draft) => {
			nodeNamed(draft, 'cp2').address = '192.168.1.99';
		});
	});
});

describe('duplicate-node-address', () => {
	it('fires on the second node with an address', () => {
		const finding = fires('duplicate-node-address', (draft) => {
			nodeNamed(draft, 'worker2').address = '192.168.1.101';
		});
		assert.equal(finding.path, 'nodes[4].address');
		assert.match(finding.message, /worker1/);
	});

	it('stays silent when the addresses differ', () => {
		silent('duplicate-node-address', (draft) => {
			nodeNamed(draft, 'worker2').address = '192.168.1.103';
		});
	});
});
