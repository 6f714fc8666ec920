import {sh} from '../../source/runner/shell.ts';
import {type OsFamily, osFamilyOf, parseOsRelease} from './os.ts';

/** An address on an interface, with its prefix length. */
export type InterfaceAddress = {readonly address: string; readonly prefix: number};

export type NetworkInterface = {readonly name: string; readonly addresses: readonly InterfaceAddress[]};

/** A TCP port something listens on, and the program when `ss -p` could tell. */
export type Listener = {readonly address: string; readonly port: number; readonly program?: string};

/** The services whose state preflight reads. */
const watchedServices = ['kubelet', 'containerd', 'etcd', 'keepalived', 'haproxy', 'firewalld'] as const;

/** Files that tell what kubeadm or etcd already did on a host. */
export const stateFiles = {
	adminConf: '/etc/kubernetes/admin.conf',
	kubeletConf: '/etc/kubernetes/kubelet.conf',
	apiServerManifest: '/etc/kubernetes/manifests/kube-apiserver.yaml',
	etcdMember: '/var/lib/etcd/member',
} as const;

const clusterCaPath = '/etc/kubernetes/pki/ca.crt';

/** What gather-facts learns about a host, for preflight and for the steps that depend on the system. */
export type HostFacts = {
	readonly os: {readonly id: string; readonly idLike: readonly string[]; readonly name: string};
	/** Undefined on a system kubeha does not install on. */
	readonly family: OsFamily | undefined;
	/** `uname -m`. */
	readonly arch: string;
	readonly interfaces: readonly NetworkInterface[];
	readonly swapOn: boolean;
	readonly listening: readonly Listener[];
	/** Which of `stateFiles` exist. */
	readonly existing: readonly string[];
	/** sha256 (hex) of /etc/kubernetes/pki/ca.crt, when the host has one. */
	readonly caCertSha256?: string;
	/** `systemctl is-active` of each watched service: active, inactive, failed…, or unknown. */
	readonly services: Readonly<Record<string, string>>;
	/** Installed versions (x.y.z), where the program is there. */
	readonly versions: {
		readonly kubeadm?: string;
		readonly kubelet?: string;
		readonly containerd?: string;
		readonly etcd?: string;
	};
	/** The host's clock minus the operator's, in seconds. */
	readonly clockSkewSeconds: number;
	/** Whether something answers ping at the VIP, seen from this host; undefined when not asked. */
	readonly vip?: 'answers' | 'silent' | 'unknown';
};

const marker = '@@kubeha:';

/**
The script gather-facts runs: it reads and changes nothing but prints sections (`@@kubeha:<name>`) for
`parseFacts`. `vipToProbe` asks it to ping the VIP as well.
*/
export function factsScript(vipToProbe?: string): string {
	const section = (name: string) => `printf '\\n${marker}%s\\n' ${name}`;
	return [
		section('os-release'),
		'cat /etc/os-release 2>/dev/null || true',
		section('arch'),
		'uname -m',
		section('addresses'),
		"ip -j address 2>/dev/null || echo '[]'",
		section('swaps'),
		'cat /proc/swaps 2>/dev/null || true',
		section('listening'),
		'ss -Htlnp 2>/dev/null || true',
		section('existing'),
		sh`for kubeha_file in ${Object.values(stateFiles)}; do if [ -e "$kubeha_file" ]; then echo "$kubeha_file"; fi; done`,
		section('ca'),
		sh`if [ -f ${clusterCaPath} ]; then sha256sum < ${clusterCaPath}; fi`,
		section('services'),
		sh`for kubeha_unit in ${watchedServices}; do echo "$kubeha_unit $(systemctl is-active "$kubeha_unit" 2>/dev/null || true)"; done`,
		section('versions'),
		'echo "kubeadm $(kubeadm version -o short 2>/dev/null || true)"',
		'echo "kubelet $(kubelet --version 2>/dev/null || true)"',
		'echo "containerd $(containerd --version 2>/dev/null || true)"',
		'echo "etcd $(etcd --version 2>/dev/null | head -n 1 || true)"',
		section('clock'),
		'date +%s',
		...(vipToProbe === undefined
			? []
			: [
					section('vip'),
					sh`if ! command -v ping >/dev/null; then echo unknown; elif ping -c 1 -W 1 ${vipToProbe} >/dev/null 2>&1; then echo answers; else echo silent; fi`,
				]),
	].join('\n');
}

function sections(stdout: string): Map<string, string> {
	const found = new Map<string, string>();
	for (const part of stdout.split(`\n${marker}`).slice(1)) {
		const newline = part.indexOf('\n');
		found.set(newline === -1 ? part : part.slice(0, newline), newline === -1 ? '' : part.slice(newline + 1));
	}

	return found;
}

const lines = (text: string) =>
	text
		.split('\n')
		.map((line) => line.trim())
		.filter((line) => line !== '');

/** The first x.y.z in a version text (`v1.37.1`, `Kubernetes v1.37.1`, `containerd containerd.io 2.1.4 …`). */
const versionIn = (text: string): string | undefined => /\bv?(\d+\.\d+\.\d+)/.exec(text)?.[1];

type IpAddressJson = {ifname?: string; addr_info?: {family?: string; local?: string; prefixlen?: number}[]};

function parseInterfaces(text: string): NetworkInterface[] {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		return [];
	}

	return (Array.isArray(parsed) ? (parsed as IpAddressJson[]) : []).map((entry) => ({
		name: entry.ifname ?? '',
		addresses: (entry.addr_info ?? [])
			.filter((info) => info.family === 'inet' && info.local !== undefined)
			.map((info) => ({address: info.local ?? '', prefix: info.prefixlen ?? 32})),
	}));
}

/** `LISTEN 0 4096 192.168.1.91:2379 0.0.0.0:* users:(("etcd",pid=812,fd=7))` → address, port, program. */
function parseListener(line: string): Listener[] {
	const local = line.split(/\s+/)[3] ?? '';
	const colon = local.lastIndexOf(':');
	const port = Number(local.slice(colon + 1));
	if (colon === -1 || !Number.isInteger(port)) {
		return [];
	}

	const program = /users:\(\("([^"]+)"/.exec(line)?.[1];
	return [{address: local.slice(0, colon), port, ...(program === undefined ? {} : {program})}];
}

function parseVersions(text: string): HostFacts['versions'] {
	const entries = lines(text).flatMap((line) => {
		const [name = '', ...rest] = line.split(' ');
		const version = versionIn(rest.join(' '));
		return version === undefined ? [] : [[name, version] as const];
	});
	return Object.fromEntries(entries);
}

/**
Facts from `factsScript`'s output. `operatorSeconds` is the operator's clock (seconds) when the host read its
own, to measure the skew.
*/
export function parseFacts(stdout: string, operatorSeconds: number): HostFacts {
	const parts = sections(stdout);
	const part = (name: string) => parts.get(name) ?? '';
	const release = parseOsRelease(part('os-release'));
	const id = release['ID'] ?? '';
	const idLike = (release['ID_LIKE'] ?? '').split(/\s+/).filter((word) => word !== '');
	const caCertSha256 = part('ca').split(/\s+/)[0];
	const services = Object.fromEntries(
		lines(part('services')).map((line) => {
			const [name = '', state = ''] = line.split(/\s+/);
			return [name, state || 'unknown'];
		}),
	);
	const vip = part('vip').trim();
	return {
		os: {id, idLike, name: release['PRETTY_NAME'] ?? (id || 'an unknown system')},
		family: osFamilyOf(id, idLike),
		arch: part('arch').trim(),
		interfaces: parseInterfaces(part('addresses')),
		swapOn: lines(part('swaps')).length > 1,
		listening: lines(part('listening')).flatMap((line) => parseListener(line)),
		existing: lines(part('existing')),
		...(caCertSha256 ? {caCertSha256} : {}),
		services,
		versions: parseVersions(part('versions')),
		clockSkewSeconds: Number(part('clock').trim()) - operatorSeconds,
		...(vip === 'answers' || vip === 'silent' || vip === 'unknown' ? {vip} : {}),
	};
}

/** One line about a host, for the run's output. */
export function describeFacts(facts: HostFacts): string {
	const skew = Math.round(facts.clockSkewSeconds);
	const installed = Object.entries(facts.versions).map(([name, version]) => `${name} ${version}`);
	return [
		`${facts.os.name} (${facts.family ?? 'not supported'}), ${facts.arch}`,
		`clock ${skew > 0 ? '+' : ''}${skew} s`,
		`swap ${facts.swapOn ? 'on' : 'off'}`,
		installed.length > 0 ? installed.join(', ') : 'no Kubernetes, containerd or etcd yet',
		...(facts.vip === undefined
			? []
			: [`VIP ${facts.vip === 'answers' ? 'answers' : facts.vip === 'silent' ? 'silent' : 'not probed (no ping)'}`]),
	].join('; ');
}
