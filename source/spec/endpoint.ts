import {show} from './finding.ts';
import {hostProblem} from './net.ts';

/** `host:port` of an external load balancer, or why it is not one. */
export function parseEndpoint(
	text: string,
):
	| {readonly ok: true; readonly host: string; readonly port: number}
	| {readonly ok: false; readonly reason: string; readonly fix: string} {
	const example = 'lb.example.com:6443';
	if (text.includes('://')) {
		const bare = text.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');
		const withPort = bare.includes(':') ? bare : `${bare}:6443`;
		return {ok: false, reason: 'has a scheme; kubeadm takes host:port', fix: `write ${show(withPort)}.`};
	}

	if (text.startsWith('[') || (text.match(/:/g)?.length ?? 0) > 1) {
		return {
			ok: false,
			reason: 'is an IPv6 address; kubeha does not support IPv6 yet',
			fix: `write an IPv4 address or a DNS name with the port, e.g. ${show(example)}.`,
		};
	}

	const colon = text.lastIndexOf(':');
	if (colon === -1) {
		return {
			ok: false,
			reason: 'has no port',
			fix: `write ${show(`${text}:6443`)}, with the port the load balancer listens on.`,
		};
	}

	const host = text.slice(0, colon);
	const portText = text.slice(colon + 1);
	const port = Number(portText);
	if (!/^\d{1,5}$/.test(portText) || port < 1 || port > 65_535) {
		return {
			ok: false,
			reason: `has the port ${show(portText)}, which is not a number from 1 to 65535`,
			fix: `write the port the load balancer listens on, e.g. ${show(`${host}:6443`)}.`,
		};
	}

	const problem = hostProblem(host, {allowIpv6: false});
	return problem
		? {
				ok: false,
				reason: `has the host ${show(host)}, which ${problem}`,
				fix: `write a DNS name or IPv4 address with the port, e.g. ${show(example)}.`,
			}
		: {ok: true, host, port};
}
