/**
The upgrade's version rules, pure: which versions kubeadm upgrades between (patch releases, and one minor at a
time: kubeadm's phases/upgrade/policy.go), and the version-skew policy (apiservers of an HA control plane within
one minor of each other; a kubelet never newer than the apiserver and at most three minors older).
*/

export type Version = {readonly major: number; readonly minor: number; readonly patch: number};

/** `1.37.2` or `v1.37.2`; undefined for anything else (pre-releases are not upgrade targets here). */
export function parseVersion(text: string): Version | undefined {
	const match = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(text.trim());
	return match ? {major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3])} : undefined;
}

export const versionText = ({major, minor, patch}: Version): string => `${major}.${minor}.${patch}`;

/** Minors between a and b (b − a), across majors as if minors went on (Kubernetes has had one major). */
const minorsBetween = (a: Version, b: Version): number => (b.major - a.major) * 1000 + (b.minor - a.minor);

const compare = (a: Version, b: Version): number => minorsBetween(b, a) || a.patch - b.patch;

export type UpgradeVerdict =
	| {readonly kind: 'none'}
	| {readonly kind: 'patch' | 'minor'; readonly to: Version}
	| {readonly kind: 'refused'; readonly reason: string; readonly steps?: readonly string[]};

/**
From the version the cluster runs to the one asked for: nothing to do, a patch release, the next minor, or a
refusal: a downgrade (kubeadm allows one minor back, policy.go; kubeha does not), or a jump of several minors, with the upgrades to run one after another.
*/
export function upgradeVerdict(current: Version, target: Version): UpgradeVerdict {
	const order = compare(target, current);
	if (order === 0) return {kind: 'none'};
	if (order < 0) {
		return {
			kind: 'refused',
			reason: `${versionText(target)} is older than the ${versionText(current)} the cluster runs: kubeha does not downgrade (kubeadm allows one minor back, but the cluster's data may not go back with it: restore the etcd snapshot taken before the upgrade instead)`,
		};
	}
	const minors = minorsBetween(current, target);
	if (current.major !== target.major) {
		return {
			kind: 'refused',
			reason: `${versionText(current)} → ${versionText(target)} changes the major version, which kubeadm does not upgrade across`,
		};
	}
	if (minors === 0) return {kind: 'patch', to: target};
	if (minors === 1) return {kind: 'minor', to: target};
	const steps = Array.from({length: minors}, (_, index) => {
		const minor = current.minor + index + 1;
		return minor === target.minor ? versionText(target) : `${current.major}.${minor}.x (its latest patch)`;
	});
	return {
		kind: 'refused',
		reason: `${versionText(current)} → ${versionText(target)} skips ${minors - 1} minor ${minors === 2 ? 'release' : 'releases'}: kubeadm upgrades one minor at a time`,
		steps: steps.map((step) => `kubeha upgrade --to ${step}`),
	};
}

/** A breach of the version-skew policy, in words; none when the versions may run together. */
export type SkewProblem = {readonly node: string; readonly what: string};

/**
The skew policy for the nodes as they run: every apiserver within one minor of the newest; every kubelet no newer
than the oldest apiserver, and at most three minors older than it.
*/
export function skewProblems(
	apiServers: readonly {node: string; version: Version}[],
	kubelets: readonly {node: string; version: Version}[],
): SkewProblem[] {
	if (apiServers.length === 0) return [];
	const newest = apiServers.reduce((a, b) => (compare(b.version, a.version) > 0 ? b : a));
	const oldest = apiServers.reduce((a, b) => (compare(b.version, a.version) < 0 ? b : a));
	return [
		...apiServers
			.filter((server) => minorsBetween(server.version, newest.version) > 1)
			.map((server) => ({
				node: server.node,
				what: `its apiserver runs ${versionText(server.version)}, more than one minor behind ${newest.node}'s ${versionText(newest.version)}`,
			})),
		...kubelets.flatMap((kubelet) => {
			const behind = minorsBetween(kubelet.version, oldest.version);
			if (compare(kubelet.version, oldest.version) > 0 && behind < 0) {
				return [
					{
						node: kubelet.node,
						what: `its kubelet ${versionText(kubelet.version)} is newer than the apiserver ${versionText(oldest.version)} on ${oldest.node}`,
					},
				];
			}
			return behind > 3
				? [
						{
							node: kubelet.node,
							what: `its kubelet ${versionText(kubelet.version)} is ${behind} minors older than the apiserver ${versionText(oldest.version)} on ${oldest.node} (at most 3)`,
						},
					]
				: [];
		}),
	];
}
