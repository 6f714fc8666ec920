// Test fixture: the lab network. One bridge in the root namespace holds the lab's first address (so the test runner
// reaches every host); each host is a network namespace with a veth pair into the bridge and one address.
import {execFileSync} from 'node:child_process';
import {bridgeName, hostInterface, labAddress, prefixLength, vethName} from './names.ts';

function ip(...args: string[]): void {
	execFileSync('ip', args, {stdio: ['ignore', 'ignore', 'pipe']});
}

export function createBridge(slot: number): void {
	const bridge = bridgeName(slot);
	ip('link', 'add', bridge, 'type', 'bridge');
	ip('address', 'add', `${labAddress(slot, 1)}/${prefixLength}`, 'dev', bridge);
	ip('link', 'set', bridge, 'up');
}

export function createHostNetwork(slot: number, index: number, namespace: string, address: string): void {
	const veth = vethName(slot, index);
	ip('netns', 'add', namespace);
	ip('link', 'add', veth, 'type', 'veth', 'peer', 'name', hostInterface, 'netns', namespace);
	ip('link', 'set', veth, 'master', bridgeName(slot), 'up');
	ip('-n', namespace, 'link', 'set', 'lo', 'up');
	ip('-n', namespace, 'address', 'add', `${address}/${prefixLength}`, 'dev', hostInterface);
	ip('-n', namespace, 'link', 'set', hostInterface, 'up');
}
