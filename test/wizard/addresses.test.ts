import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {expandAddresses, isAddressList, maximumRange} from '../../source/wizard/addresses.ts';

describe('expandAddresses', () => {
	test('a short range repeats the first three octets', () => {
		assert.deepEqual(expandAddresses('192.168.1.91-93'), {addresses: ['192.168.1.91', '192.168.1.92', '192.168.1.93']});
	});

	test('a range written out in full crosses an octet', () => {
		assert.deepEqual(expandAddresses('10.0.0.254-10.0.1.1'), {
			addresses: ['10.0.0.254', '10.0.0.255', '10.0.1.0', '10.0.1.1'],
		});
	});

	test('lists mix single addresses and ranges, separated by commas, spaces or new lines', () => {
		assert.deepEqual(expandAddresses('10.0.0.1, 10.0.0.5-6\n10.0.0.9;10.0.0.10'), {
			addresses: ['10.0.0.1', '10.0.0.5', '10.0.0.6', '10.0.0.9', '10.0.0.10'],
		});
	});

	test('single addresses pass as written, for the validation rules to judge', () => {
		assert.deepEqual(expandAddresses('cp1.example.com 10.0.0.300'), {addresses: ['cp1.example.com', '10.0.0.300']});
	});

	test('a backwards, oversized or malformed range is refused with the reason', () => {
		assert.match(String((expandAddresses('10.0.0.9-3') as {error: string}).error), /ends before it starts/);
		assert.match(
			String((expandAddresses('10.0.0.0-10.0.9.0') as {error: string}).error),
			new RegExp(`more than ${maximumRange}`),
		);
		assert.match(String((expandAddresses('10.0.0.x-3') as {error: string}).error), /not a range of IPv4 addresses/);
	});
});

test('isAddressList tells a list or range from one address', () => {
	assert.equal(isAddressList('192.168.1.91'), false);
	assert.equal(isAddressList(' 192.168.1.91 '), false);
	assert.equal(isAddressList('192.168.1.91-93'), true);
	assert.equal(isAddressList('192.168.1.91,192.168.1.92'), true);
	assert.equal(isAddressList('192.168.1.91 192.168.1.92'), true);
});
