import {artifactSources, artifactUrl, releaseOf} from '../../source/components/artifacts.ts';
import {type ComponentKind, unameArchitectures} from '../../source/components/table.ts';
import {sh} from '../../source/runner/shell.ts';
import type {ClusterSpec} from '../../source/spec/cluster.ts';
import {indent, type Task} from './tasks.ts';

/** Where verified release files wait to be installed (and stay, for the next install or an upload). */
export const artifactCache = '/var/cache/kubeha/artifacts';
/** What kubeha installed of each component: `<version> <sha256 of the release file>`, one file per component. */
export const installedRecordDirectory = '/var/lib/kubeha/components';

const recordPath = (kind: ComponentKind) => `${installedRecordDirectory}/${kind}`;

/** A release the spec needs; the version rule and the table's test make sure there is one. */
function requiredRelease(spec: ClusterSpec, kind: ComponentKind) {
	const release = releaseOf(spec, kind);
	if (release === undefined) {
		throw new Error(
			`no ${kind} release for Kubernetes ${spec.kubernetes.version}: the components table lacks its minor.`,
		);
	}

	return release;
}

/**
Bash that sets kubeha_arch, kubeha_file, kubeha_url and kubeha_sha256 for this host's architecture (`uname -m`),
or stops with the reason: the same script serves amd64 and arm64 hosts (and apply.sh).
*/
function releaseFileLines(spec: ClusterSpec, kind: ComponentKind): string {
	const release = requiredRelease(spec, kind);
	const cases = Object.entries(unameArchitectures).map(([uname, arch]) => {
		const digest = release.sha256[arch];
		const body =
			digest === undefined
				? sh`echo ${`kubeha: no sha256 for ${kind} ${release.version} on ${arch}: add components.releases.${kind}.sha256.${arch} to cluster.yaml (the sha256 its project publishes for that file).`} >&2; exit 1`
				: sh`kubeha_arch=${arch}; kubeha_file=${artifactSources[kind].file(release.version, arch)}; kubeha_url=${artifactUrl(spec, kind, release.version, arch)}; kubeha_sha256=${digest}`;
		return `\t${uname}) ${body} ;;`;
	});
	return [
		'case "$(uname -m)" in',
		...cases,
		`\t*) ${sh`echo ${`kubeha: there is no ${kind} release file for this machine's architecture in kubeha's components table (amd64 and arm64 only):`}`} "$(uname -m)" >&2; exit 1 ;;`,
		'esac',
	].join('\n');
}

/** A check that the component's record names this release (and architecture's file) and its programs are there. */
function installedCheck(spec: ClusterSpec, kind: ComponentKind): string {
	const release = requiredRelease(spec, kind);
	const programs = artifactSources[kind].installs(release.version).map(([, installed]) => sh`[ -x ${installed} ]`);
	return [
		releaseFileLines(spec, kind),
		[sh`[ "$(cat ${recordPath(kind)} 2>/dev/null)" = ${release.version}" $kubeha_sha256" ]`, ...programs].join(' && '),
	].join('\n');
}

const cachedFile = `${artifactCache}/"$kubeha_file"`;

/**
The release file downloaded to the cache and its sha256 checked against the table: a file that does not match is
deleted and stops the run, with the file, both digests and what to do. Nothing is installed from here; installing
waits until every file a host needs is in the cache and verified.
*/
export function downloadTask(spec: ClusterSpec, kind: ComponentKind): Task {
	const release = requiredRelease(spec, kind);
	const {title} = artifactSources[kind];
	const mismatch = [
		`echo "kubeha: $kubeha_file (${title} ${release.version}, $kubeha_arch, from $kubeha_url) has sha256 $kubeha_actual, but kubeha's components table expects $kubeha_sha256." >&2`,
		sh`echo ${`kubeha: the download is damaged or is not that release, so nothing was installed. Check the mirror (components.mirror.${kind}) or the pinned release (components.releases.${kind}) in cluster.yaml, then apply again.`} >&2`,
	].join('\n');
	return {
		what: `${title} ${release.version} release file downloaded and its sha256 verified (${artifactCache})`,
		check: [
			installedCheck(spec, kind),
			'} || {',
			`\t[ "$(sha256sum < ${cachedFile} | cut -c1-64)" = "$kubeha_sha256" ]`,
			'}',
		]
			.join('\n')
			.replace(/^/, '{\n'),
		act: [
			releaseFileLines(spec, kind),
			sh`mkdir -p ${artifactCache}`,
			sh`kubeha_partial=$(mktemp ${`${artifactCache}/.partial-XXXXXX`})`,
			'if ! curl -fsSL --retry 3 --connect-timeout 20 -o "$kubeha_partial" "$kubeha_url"; then',
			'\trm -f -- "$kubeha_partial"',
			`\techo "kubeha: could not download $kubeha_url (${title} ${release.version}). The node needs to reach it over HTTPS, or set components.mirror.${kind} in cluster.yaml to a mirror that has it." >&2`,
			'\texit 1',
			'fi',
			'kubeha_actual=$(sha256sum < "$kubeha_partial" | cut -c1-64)',
			'if [ "$kubeha_actual" != "$kubeha_sha256" ]; then',
			'\trm -f -- "$kubeha_partial"',
			indent(mismatch),
			'\texit 1',
			'fi',
			'chmod 0644 -- "$kubeha_partial"',
			`mv -f -- "$kubeha_partial" ${cachedFile}`,
		].join('\n'),
	};
}

/**
Bash that refuses to replace a newer containerd than the release (kubeha never downgrades) and says which one it
replaces (the distribution's 1.6 or 1.7, say); a containerd that does not run is named as such.
*/
function replacedContainerdLines(version: string): string {
	return [
		'if kubeha_old_path=$(command -v containerd); then',
		'\tif kubeha_old_output=$(containerd --version 2>&1); then',
		'\t\tkubeha_old=$(printf "%s\\n" "$kubeha_old_output" | awk \'{sub(/^v/, "", $3); print $3}\')',
		`\t\tif [ "$kubeha_old" != ${version} ] && [ "$(printf '%s\\n' "$kubeha_old" ${version} | sort -V | tail -n 1)" = "$kubeha_old" ]; then`,
		`\t\t\techo "kubeha: containerd $kubeha_old ($kubeha_old_path) is newer than ${version}, the release kubeha installs, and kubeha does not downgrade: pin $kubeha_old in components.releases.containerd (with its sha256) in cluster.yaml, then apply again." >&2`,
		'\t\t\texit 1',
		'\t\tfi',
		`\t\t[ "$kubeha_old" = ${version} ] || echo "kubeha: replacing containerd $kubeha_old ($kubeha_old_path) with ${version} from the upstream release"`,
		'\telse',
		`\t\techo "kubeha: $kubeha_old_path --version did not run ($kubeha_old_output): replacing it with containerd ${version} from the upstream release"`,
		'\tfi',
		'fi',
	].join('\n');
}

/**
The component's programs installed from the verified release file (checked again, in case the cache changed),
each with `install` (a new file replaces the old, so a running program keeps its copy), then its record.
*/
export function installTask(spec: ClusterSpec, kind: ComponentKind, after = ''): Task {
	const release = requiredRelease(spec, kind);
	const source = artifactSources[kind];
	const installs = source.installs(release.version);
	const archive = source.format === 'archive';
	const where = [...new Set(installs.map(([, installed]) => installed.slice(0, installed.lastIndexOf('/'))))].join(
		', ',
	);
	// A quoted path with `{arch}` replaced by the host's architecture (the quote closed around the variable).
	const fromArchive = (inner: string) => `"$kubeha_unpacked"/${sh`${inner}`.replace('{arch}', `'"$kubeha_arch"'`)}`;
	return {
		what: `${source.title} ${release.version} from its upstream release installed in ${where}`,
		check: installedCheck(spec, kind),
		act: [
			releaseFileLines(spec, kind),
			`if [ "$(sha256sum < ${cachedFile} | cut -c1-64)" != "$kubeha_sha256" ]; then`,
			`\techo "kubeha: ${artifactCache}/$kubeha_file is gone or changed since it was verified: apply again to download it again." >&2`,
			'\texit 1',
			'fi',
			...(kind === 'containerd' ? [replacedContainerdLines(release.version)] : []),
			...(archive ? ['kubeha_unpacked=$(mktemp -d)', `tar -xzf ${cachedFile} -C "$kubeha_unpacked"`] : []),
			...installs.map(
				([inner, installed]) => `install -D -m 0755 ${archive ? fromArchive(inner) : cachedFile} ${sh`${installed}`}`,
			),
			...(archive ? ['rm -rf -- "$kubeha_unpacked"'] : []),
			sh`mkdir -p ${installedRecordDirectory}`,
			`echo ${sh`${release.version}`} "$kubeha_sha256" > ${sh`${recordPath(kind)}`}`,
			...(after === '' ? [] : [after]),
		].join('\n'),
	};
}
