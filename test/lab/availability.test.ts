import assert from 'node:assert/strict';
import {test} from 'node:test';
import {labAvailable} from './availability.ts';

test('labAvailable says what is missing and how to get it, so lab tests can skip with the reason', () => {
	const availability = labAvailable({commands: ['etcdctl', 'kubeha-lab-no-such-command']});
	assert.equal(availability.ok, false);
	const expected =
		process.getuid?.() === 0
			? /missing commands: (etcdctl \(apt-get install -y etcd-client\), )?kubeha-lab-no-such-command \(install what provides it\)$/
			: /needs root/;
	assert.match(availability.ok ? '' : availability.reason, expected);
});
