import {componentKinds} from '../../components/table.ts';
import {error, show} from '../finding.ts';
import type {Rule} from './rule.ts';

const releaseVersion = /^\d+\.\d+\.\d+$/;
const sha256Hex = /^[0-9a-f]{64}$/;

/** A mirror is a base URL that curl fetches `<base>/v<version>/<file>` from: http or https, nothing after the path. */
function mirrorProblem(value: string): string | undefined {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return 'which is not a URL';
	}

	if (url.protocol !== 'https:' && url.protocol !== 'http:') return `whose scheme ${url.protocol} is not http or https`;
	if (url.search !== '' || url.hash !== '')
		return 'which has a query or fragment, where kubeha appends /v<version>/<file>';
	return undefined;
}

const mirrors: Rule = (spec) =>
	componentKinds.flatMap((kind) => {
		const value = spec.components?.mirror?.[kind];
		const problem = value === undefined ? undefined : mirrorProblem(value);
		const path = `components.mirror.${kind}`;
		return problem === undefined
			? []
			: [
					error(
						'components-mirror',
						path,
						`${path} is ${show(value)}, ${problem}`,
						`write the base URL the release files are under, e.g. "https://mirror.example/${kind}" for https://mirror.example/${kind}/v<version>/<file>, or remove it to download from GitHub.`,
					),
				];
	});

const releases: Rule = (spec) =>
	componentKinds.flatMap((kind) => {
		const release = spec.components?.releases?.[kind];
		if (release === undefined) return [];
		const path = `components.releases.${kind}`;
		const version = releaseVersion.test(release.version)
			? []
			: [
					error(
						'components-release',
						`${path}.version`,
						`${path}.version is ${show(release.version)}, which is not a release version x.y.z`,
						`write the release's version without the "v", e.g. "${release.version.replace(/^v/, '') || '2.3.4'}".`,
					),
				];
		const digests = Object.entries(release.sha256).flatMap(([arch, digest]) =>
			digest !== undefined && sha256Hex.test(digest)
				? []
				: [
						error(
							'components-release',
							`${path}.sha256.${arch}`,
							`${path}.sha256.${arch} is ${show(digest)}, which is not a sha256 (64 lowercase hex digits)`,
							`write the sha256 the project publishes for the ${arch} release file (its .sha256sum file), without "sha256:".`,
						),
					],
		);
		const none =
			Object.keys(release.sha256).length === 0
				? [
						error(
							'components-release',
							`${path}.sha256`,
							`${path}.sha256 names no architecture, so kubeha could not verify any download of ${kind} ${release.version}`,
							'give the sha256 of the release file for amd64 and/or arm64, the architectures of your nodes.',
						),
					]
				: [];
		return [...version, ...digests, ...none];
	});

export const componentRules: readonly Rule[] = [mirrors, releases];
