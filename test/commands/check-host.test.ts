import assert from 'node:assert/strict';
import {createServer} from 'node:net';
import {after, before, describe, it} from 'node:test';
import {checkHostOverSsh} from '../../source/commands/check-host.ts';
import {type Sshd, sshdUnavailable, startSshd} from '../helpers/sshd.ts';

const node = {name: 'cp1', address: '127.0.0.1', roles: ['control-plane' as const]};

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	await new Promise<void>((resolve) => server.close(() => resolve()));
	assert.ok(address && typeof address === 'object');
	return address.port;
}

describe("the wizard's reachability check over real ssh", {skip: sshdUnavailable()}, () => {
	let sshd: Sshd;
	before(async () => {
		sshd = await startSshd();
	});
	after(async () => {
		await sshd?.stop();
	});

	it('reports a host whose key is not known yet, and says apply will ask to confirm it', async () => {
		const check = await checkHostOverSsh(node, {user: 'root', port: sshd.port});
		assert.equal(check.reachable, false);
		assert.match(check.detail, /host key is not in known_hosts yet/);
	});

	it("reports a host where nothing answers, in ssh's words", async () => {
		const check = await checkHostOverSsh(node, {user: 'root', port: await closedPort()});
		assert.equal(check.reachable, false);
		assert.match(check.detail, /Connection refused/);
	});
});
