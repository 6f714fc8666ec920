import {sh} from '../../runner/shell.ts';
import {lastLine, type SectionOutput} from '../sections.ts';
import type {ApiServerStatus} from '../types.ts';

/**
GET /healthz on the node's own API server, not through the load balancer. `--insecure`: this asks whether it
is healthy, not who it is (the load balancer's checks do the same). The status code follows on a line of its own.
*/
export const healthzCommand = (address: string, port: number): string =>
	sh`curl -sS --insecure --max-time 3 -w '\\n%{http_code}' ${`https://${address}:${port}/healthz`}`;

/** Healthy when the answer is 200 `ok`; otherwise the body (the failed checks) or curl's error. */
export function parseHealthz({text, exitCode}: SectionOutput): ApiServerStatus {
	const lines = text.split('\n');
	const code = lines.at(-1) ?? '';
	const body = lines.slice(0, -1).join('\n').trim();
	// curl's own error (no connection, a time-out) comes before the status code it writes anyway (000).
	if (exitCode !== 0) {
		return {healthy: false, detail: lastLine(body)};
	}

	return code === '200' && body === 'ok'
		? {healthy: true, detail: 'ok'}
		: {healthy: false, detail: `HTTP ${code}: ${body || 'no body'}`};
}
