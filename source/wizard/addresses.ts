/** At most this many addresses from one range: a typo such as 10.0.0.1-10.0.9.1 should not make thousands of nodes. */
export const maximumRange = 256;

const dotted = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function toNumber(text: string): number | undefined {
	const match = dotted.exec(text);
	if (!match) {
		return undefined;
	}

	const octets = match.slice(1).map(Number);
	return octets.every((octet) => octet <= 255) ? octets.reduce((value, octet) => value * 256 + octet, 0) : undefined;
}

const toText = (value: number): string => [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');

export type Expanded = {readonly addresses: readonly string[]} | {readonly error: string};

function expandRange(token: string): Expanded {
	const [from = '', to = ''] = token.split('-');
	const start = toNumber(from);
	// "192.168.1.91-93" repeats the first three octets; "192.168.1.91-192.168.2.3" spells the end out.
	const end = toNumber(to.includes('.') ? to : `${from.split('.').slice(0, 3).join('.')}.${to}`);
	if (start === undefined || end === undefined) {
		return {
			error: `"${token}" is not a range of IPv4 addresses; write it as 192.168.1.91-93 or 192.168.1.91-192.168.1.93.`,
		};
	}

	if (end < start || end - start >= maximumRange) {
		return {
			error: `"${token}" ${end < start ? 'ends before it starts' : `holds more than ${maximumRange} addresses`}; check the two ends.`,
		};
	}

	return {addresses: Array.from({length: end - start + 1}, (_, index) => toText(start + index))};
}

/**
The addresses in what the operator pasted: single addresses and ranges (`192.168.1.91-93`), separated by commas,
spaces or new lines. Single addresses are passed on as written (the validation rules judge them); only ranges
must be well formed, since they are computed.
*/
export function expandAddresses(text: string): Expanded {
	const addresses: string[] = [];
	for (const token of text.split(/[\s,;]+/).filter(Boolean)) {
		if (!token.includes('-')) {
			addresses.push(token);
			continue;
		}

		const expanded = expandRange(token);
		if ('error' in expanded) {
			return expanded;
		}

		addresses.push(...expanded.addresses);
	}

	return {addresses};
}

/** True when the text holds more than one address (a list or a range), so it fills several nodes. */
export const isAddressList = (text: string): boolean => /[-,;\s]/.test(text.trim());
