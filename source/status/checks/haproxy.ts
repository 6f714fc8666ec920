import {haproxyAdminSocket} from '../../render/haproxy.ts';
import {sh} from '../../runner/shell.ts';
import {lastLine, type SectionOutput} from '../sections.ts';
import type {HaproxyBackend, HaproxyStatus} from '../types.ts';

/** The backend templates/haproxy.cfg.mustache puts the API servers in. */
export const haproxyBackendName = 'kube-apiserver';

/** haproxy's statistics as CSV from its admin socket (socat is installed with haproxy by kubeha). */
export const haproxyStatCommand = sh`echo 'show stat' | socat stdio ${`unix-connect:${haproxyAdminSocket}`}`;

/**
`show stat` CSV: a `# pxname,svname,…` header, then a row per frontend, server and backend. Columns are found by
their header names, which have stayed put across haproxy 2.x and 3.x while new ones were appended.
*/
export function parseHaproxyStat({text, exitCode}: SectionOutput): HaproxyStatus {
	const lines = text.split('\n');
	const header = lines.find((line) => line.startsWith('# '));
	if (exitCode !== 0 || header === undefined) {
		return {answered: false, error: lastLine(text)};
	}

	const columns = header.slice(2).split(',');
	const column = (name: string) => columns.indexOf(name);
	const at = (fields: readonly string[], name: string) => fields[column(name)] ?? '';
	const backends: HaproxyBackend[] = lines
		.filter((line) => line !== '' && !line.startsWith('#'))
		.map((line) => line.split(','))
		.filter(
			(fields) =>
				at(fields, 'pxname') === haproxyBackendName && !['FRONTEND', 'BACKEND'].includes(at(fields, 'svname')),
		)
		.map((fields) => ({
			server: at(fields, 'svname'),
			status: at(fields, 'status'),
			check: at(fields, 'check_status'),
			// What the check saw, e.g. "Layer4 connection problem" with "Connection refused".
			checkDescription: [at(fields, 'check_desc'), at(fields, 'last_chk')].filter(Boolean).join(': '),
		}));
	return {answered: true, backends};
}
