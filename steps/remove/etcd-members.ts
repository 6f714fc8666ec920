import {etcdPeerUrl} from '../../source/render/etcd.ts';
import type {NodeSpec} from '../../source/spec/schema.ts';

/** One line of `etcdctl member list -w simple`. */
export type EtcdMember = {readonly id: string; readonly name: string; readonly peerUrls: readonly string[]};

/** `8e9e05c52164694d, started, cp1, https://10.0.0.1:2380, https://10.0.0.1:2379, false` → a member. */
export function parseMemberList(text: string): EtcdMember[] {
	return text
		.split('\n')
		.map((line) => line.split(', '))
		.filter((fields) => fields.length >= 4 && /^[\da-f]+$/.test(fields[0] ?? ''))
		.map(([id = '', , name = '', peerUrls = '']) => ({id, name, peerUrls: peerUrls.split(',')}));
}

/**
The node's member: by name (kubeadm and kubeha name members after their node), or by peer URL, since a member
added but never started has no name yet.
*/
export function memberOf(members: readonly EtcdMember[], node: NodeSpec): EtcdMember | undefined {
	return members.find((member) => member.name === node.name || member.peerUrls.includes(etcdPeerUrl(node)));
}
