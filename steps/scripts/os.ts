/** How a host installs packages: apt-get (Debian and its derivatives) or dnf (Red Hat and its derivatives). */
export type OsFamily = 'apt' | 'dnf';

export const osFamilies: readonly OsFamily[] = ['apt', 'dnf'];

/** /etc/os-release IDs kubeha installs on, by family; an ID_LIKE entry counts too (Linux Mint is like ubuntu). */
const familyIds: Readonly<Record<OsFamily, readonly string[]>> = {
	apt: ['debian', 'ubuntu'],
	dnf: ['rhel', 'rocky', 'almalinux', 'centos', 'fedora'],
};

/** The distributions kubeha installs on, for messages. */
export const supportedSystems = 'Debian, Ubuntu (apt-get) or RHEL, Rocky Linux, AlmaLinux, CentOS Stream, Fedora (dnf)';

/** The family of a system from its os-release ID and ID_LIKE, the ID first; undefined when kubeha has none for it. */
export function osFamilyOf(id: string, idLike: readonly string[]): OsFamily | undefined {
	for (const candidate of [id, ...idLike]) {
		const family = osFamilies.find((name) => familyIds[name].includes(candidate));
		if (family) {
			return family;
		}
	}

	return undefined;
}

/** Parses /etc/os-release (`KEY=value`, values optionally quoted). */
export function parseOsRelease(text: string): Record<string, string> {
	const entries = text.split('\n').flatMap((line) => {
		const match = /^([A-Z\d_]+)=(.*)$/.exec(line.trim());
		if (!match) {
			return [];
		}

		const [, key = '', raw = ''] = match;
		return [[key, raw.replace(/^(["'])(.*)\1$/, '$2')] as const];
	});
	return Object.fromEntries(entries);
}

/**
Bash that sets `kubeha_family` to apt or dnf from /etc/os-release, the same mapping as `osFamilyOf`, and stops
with a message on a system kubeha has no family for. For apply.sh, which learns the family on the host.
*/
export function familyDetectionScript(): string {
	const cases = osFamilies.map((family) => `\t\t${familyIds[family].join(' | ')}) kubeha_family=${family}; break ;;`);
	return [
		'kubeha_family=',
		// shellcheck cannot follow a file that exists only on the host.
		'# shellcheck disable=SC1091',
		// biome-ignore lint/suspicious/noTemplateCurlyInString: bash parameter expansion
		'kubeha_os_ids=$(. /etc/os-release && echo "${ID:-} ${ID_LIKE:-}")',
		'for kubeha_id in $kubeha_os_ids; do',
		'\tcase "$kubeha_id" in',
		...cases,
		'\tesac',
		'done',
		'if [ -z "$kubeha_family" ]; then',
		`\techo "kubeha: this system ($kubeha_os_ids) is not one kubeha installs on: ${supportedSystems}." >&2`,
		'\texit 1',
		'fi',
	].join('\n');
}
