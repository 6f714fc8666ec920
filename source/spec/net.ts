import ipaddr from 'ipaddr.js';
import {show} from './finding.ts';

/**
IPv4 helpers for the validation rules. Addresses are unsigned 32-bit numbers, so that containment and overlap
are integer comparisons and a 1000-node spec is checked with Maps instead of re-parsing strings.
*/

/** An IPv4 address as an unsigned 32-bit number. */
export type Ipv4 = number;

/** An IPv4 network written as `address/prefix`; `address` keeps any host bits the user wrote. */
export type Ipv4Cidr = {
	readonly address: Ipv4;
	readonly prefix: number;
	/** The network address (all host bits 0). */
	readonly first: Ipv4;
	/** The broadcast address (all host bits 1). */
	readonly last: Ipv4;
};

/** Why a text is not an IPv4 address, for messages that say what to write instead. */
export type AddressProblem = 'ipv6' | 'has-prefix' | 'malformed';
/** Why a text is not an IPv4 CIDR. */
export type CidrProblem = 'ipv6' | 'no-prefix' | 'bad-prefix' | 'malformed';

export type Parsed<T, Problem> =
	| {readonly ok: true; readonly value: T}
	| {readonly ok: false; readonly problem: Problem};

/** Prefix lengths 0-32 without leading zeros (Go's net.ParseCIDR, which kubeadm uses, rejects "/08"). */
const prefixPattern = /^(?:\d|[12]\d|3[0-2])$/;

const fromOctets = (octets: readonly number[]): Ipv4 => octets.reduce((value, octet) => value * 256 + octet, 0);

const isIpv6 = (text: string): boolean => ipaddr.IPv6.isValid(text) || ipaddr.IPv6.isValidCIDR(text);

/**
A plain dotted quad: four decimal numbers 0-255 without leading zeros (Go, and so kubeadm and the kubelet,
rejects "192.168.001.1"; ipaddr.js alone would also take "10.1" or "0x0a.0.0.1").
*/
export function parseIpv4(text: string): Parsed<Ipv4, AddressProblem> {
	if (ipaddr.IPv4.isValidFourPartDecimal(text)) {
		return {ok: true, value: fromOctets(ipaddr.IPv4.parse(text).octets)};
	}

	if (isIpv6(text)) {
		return {ok: false, problem: 'ipv6'};
	}

	return {ok: false, problem: parseIpv4Cidr(text).ok ? 'has-prefix' : 'malformed'};
}

/** `address/prefix` with a dotted-quad address. */
export function parseIpv4Cidr(text: string): Parsed<Ipv4Cidr, CidrProblem> {
	const slash = text.indexOf('/');
	if (slash === -1) {
		return {ok: false, problem: ipaddr.IPv4.isValidFourPartDecimal(text) ? 'no-prefix' : addressOnlyProblem(text)};
	}

	const addressText = text.slice(0, slash);
	const prefixText = text.slice(slash + 1);
	if (!ipaddr.IPv4.isValidFourPartDecimal(addressText)) {
		return {ok: false, problem: addressOnlyProblem(text)};
	}

	if (!prefixPattern.test(prefixText)) {
		return {ok: false, problem: 'bad-prefix'};
	}

	const address = fromOctets(ipaddr.IPv4.parse(addressText).octets);
	const prefix = Number(prefixText);
	const size = blockSize(prefix);
	const first = address - (address % size);
	return {ok: true, value: {address, prefix, first, last: first + size - 1}};
}

const addressOnlyProblem = (text: string): CidrProblem => (isIpv6(text) ? 'ipv6' : 'malformed');

/** How many addresses a prefix length covers. */
export const blockSize = (prefix: number): number => 2 ** (32 - prefix);

export function formatIpv4(address: Ipv4): string {
	return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');
}

/** The network in canonical form, host bits cleared: `10.244.0.0/16`. */
export const formatNetwork = (cidr: Ipv4Cidr): string => `${formatIpv4(cidr.first)}/${cidr.prefix}`;

export const containsAddress = (cidr: Ipv4Cidr, address: Ipv4): boolean =>
	address >= cidr.first && address <= cidr.last;

export const overlaps = (a: Ipv4Cidr, b: Ipv4Cidr): boolean => a.first <= b.last && b.first <= a.last;

/** The network of `prefix` length around an address. */
export function networkAround(address: Ipv4, prefix: number): Ipv4Cidr {
	const size = blockSize(prefix);
	const first = address - (address % size);
	return {address: first, prefix, first, last: first + size - 1};
}

const block = (octets: readonly number[], prefix: number): Ipv4Cidr => networkAround(fromOctets(octets), prefix);

/**
Address blocks no host can be reached at, with the reason. Kept here rather than taken from ipaddr.js's
`range()`, whose "reserved" also covers the documentation and benchmarking networks (192.0.2.0/24,
198.18.0.0/15) that labs legitimately use.
*/
const unusableBlocks: ReadonlyArray<{readonly block: Ipv4Cidr; readonly reason: string}> = [
	{
		block: block([0, 0, 0, 0], 8),
		reason: 'is in 0.0.0.0/8, which means "this host" and is never assigned to an interface',
	},
	{block: block([127, 0, 0, 0], 8), reason: 'is a loopback address, which other hosts cannot reach'},
	{
		block: block([169, 254, 0, 0], 16),
		reason: 'is a link-local address (what a host takes when DHCP fails), which is not routed',
	},
	{block: block([224, 0, 0, 0], 4), reason: 'is a multicast address'},
	{
		block: block([240, 0, 0, 0], 4),
		reason: 'is in the reserved block 240.0.0.0/4 (which holds the broadcast address 255.255.255.255)',
	},
];

/** Why a host cannot use this address, or undefined when it can. */
export const unusableReason = (address: Ipv4): string | undefined =>
	unusableBlocks.find(({block}) => containsAddress(block, address))?.reason;

const labelPattern = /^[a-z\d](?:[-a-z\d]*[a-z\d])?$/;
const maxLabelLength = 63;
const maxSubdomainLength = 253;

/** Why a text is not a DNS-1123 label (lowercase letters, digits and "-", at most 63), or undefined when it is one. */
export function dnsLabelProblem(text: string): string | undefined {
	if (text === '') {
		return 'is empty';
	}

	if (text.length > maxLabelLength) {
		return `is ${text.length} characters long, more than the ${maxLabelLength} a DNS label allows`;
	}

	const invalid = [...new Set(text.replaceAll(/[-a-z\d]/g, ''))];
	if (invalid.length > 0) {
		return invalid.every((character) => /[A-Z]/.test(character))
			? 'has uppercase letters, which DNS-1123 names do not allow'
			: `contains ${invalid
					.slice(0, 5)
					.map((character) => show(character))
					.join(', ')} (only lowercase letters, digits and "-" are allowed)`;
	}

	return labelPattern.test(text) ? undefined : 'starts or ends with "-"';
}

/** Why a text is not a DNS-1123 subdomain (dot-separated labels, at most 253), or undefined when it is one. */
export function dnsSubdomainProblem(text: string): string | undefined {
	if (text.length > maxSubdomainLength) {
		return `is ${text.length} characters long, more than the ${maxSubdomainLength} a DNS name allows`;
	}

	const labels = text.split('.');
	if (labels.length > 1 && labels.includes('')) {
		return 'has an empty part (two dots in a row, or a dot at the start or end)';
	}

	for (const label of labels) {
		const problem = dnsLabelProblem(label);
		if (problem) {
			return labels.length === 1 ? problem : `has a part ${show(label)} that ${problem}`;
		}
	}

	return undefined;
}

/** The nearest DNS-1123 label to a text (lowercased, other characters turned into "-"), for fixes. */
export function toDnsLabel(text: string): string | undefined {
	const label = text
		.toLowerCase()
		.replaceAll(/[^-a-z\d]+/g, '-')
		.replaceAll(/^-+|-+$/g, '')
		.slice(0, maxLabelLength)
		.replace(/-+$/, '');
	return label === '' ? undefined : label;
}

/** The nearest DNS-1123 subdomain to a text, label by label, for fixes. */
export function toDnsSubdomain(text: string): string | undefined {
	const labels = text.split('.').flatMap((label) => toDnsLabel(label) ?? []);
	return labels.length === 0 ? undefined : labels.join('.').slice(0, maxSubdomainLength);
}

/**
Why a text is not a host name or IPv4 address, or undefined when it is one. Four dotted numbers are judged
as an address, not a name: "10.0.0.300" is lexically a DNS name, but nobody means it as one.
*/
export function hostProblem(text: string, {allowIpv6}: {readonly allowIpv6: boolean}): string | undefined {
	const address = parseIpv4(text);
	if (address.ok) {
		return undefined;
	}

	switch (address.problem) {
		case 'ipv6': {
			return allowIpv6 ? undefined : 'is an IPv6 address, which kubeha does not support yet';
		}

		case 'has-prefix': {
			return 'is a network (address/prefix), not a single address or name';
		}

		default: {
			return /^[\d.]+$/.test(text)
				? 'is not a valid IPv4 address (four numbers 0-255 without leading zeros)'
				: dnsSubdomainProblem(text);
		}
	}
}
