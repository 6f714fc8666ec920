import {etcdCaCertPath, etcdClientPort, etcdMemberPaths} from '../../render/etcd.ts';
import {sh} from '../../runner/shell.ts';
import {lastLine, type SectionOutput} from '../sections.ts';
import type {EtcdMemberStatus} from '../types.ts';

/**
The member's health and status on its own client URL, with the healthcheck client certificate: kubeadm writes
it on control planes with stacked etcd, kubeha on external etcd nodes (source/render/etcd.ts), at the same path.
curl asks etcd's HTTP endpoints (`/health`; `/v3/maintenance/status` of the gRPC gateway, on by default), since
kubeadm's control planes have curl but rarely etcdctl; etcd nodes without curl have kubeha's etcdctl.
*/
function etcdScript(address: string, ask: {curl: (url: string) => string; etcdctl: string}): string {
	const url = `https://${address}:${etcdClientPort}`;
	const {cert, key} = etcdMemberPaths.healthcheckClient;
	const tls = sh`--cacert ${etcdCaCertPath} --cert ${cert} --key ${key}`;
	return [
		'if command -v curl >/dev/null; then',
		`\tcurl -sS --max-time 3 ${tls} ${ask.curl(url)}`,
		'else',
		`\t${sh`ETCDCTL_API=3 etcdctl --endpoints ${url}`} ${tls} --dial-timeout 2s --command-timeout 3s ${ask.etcdctl} -w json`,
		'fi',
	].join('\n');
}

export const etcdHealthScript = (address: string): string =>
	etcdScript(address, {curl: (url) => sh`${`${url}/health`}`, etcdctl: 'endpoint health'});

export const etcdStatusScript = (address: string): string =>
	etcdScript(address, {
		curl: (url) => sh`-X POST -d ${'{}'} ${`${url}/v3/maintenance/status`}`,
		etcdctl: 'endpoint status',
	});

/**
Both tools' answers are JSON with the same names: `"health":"true"` (curl) or `"health":true` (etcdctl);
`"member_id"` and `"leader"` as strings (the gateway) or bare numbers (etcdctl). The ids are uint64, beyond
what a JavaScript number holds exactly, so they are read as text.
*/
export function parseEtcd(health: SectionOutput, status: SectionOutput): EtcdMemberStatus {
	const memberId = /"member_id":\s*"?(\d+)/.exec(status.text)?.[1];
	const leaderId = /"leader":\s*"?(\d+)/.exec(status.text)?.[1];
	if (memberId === undefined || leaderId === undefined) {
		return {answered: false, error: lastLine(status.text)};
	}

	return {answered: true, healthy: /"health":\s*"?true\b/.test(health.text), memberId, leaderId};
}
