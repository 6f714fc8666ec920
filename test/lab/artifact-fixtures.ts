// Test fixture: the release files kubeha downloads (containerd, runc, CNI plugins, crictl), packed from the lab's
// stand-ins in the layout of the real releases, and a small HTTP server on the lab bridge that serves them as a
// mirror (components.mirror) would. A lab cluster's spec pins them with their own sha256 (components.releases), so
// the product's table is untouched and the product's download, verify and install run as on servers.
import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {dirname, join, normalize} from 'node:path';
import {artifactSources, minorOf} from '../../source/components/artifacts.ts';
import {
	type Architecture,
	type ComponentKind,
	componentsTable,
	unameArchitectures,
} from '../../source/components/table.ts';
import {standInScript} from './host-files.ts';
import type {Lab} from './lab.ts';
import {standInMarker} from './stand-ins/lib/stand-in-commands.ts';

/** The Kubernetes version of the lab's specs, whose table row gives the versions the fixtures are packed as. */
const labKubernetes = '1.37.1';
/** What the fixtures are packed for: the lab hosts run on this machine. */
const machineArch: Architecture | undefined =
	unameArchitectures[execFileSync('uname', ['-m'], {encoding: 'utf8'}).trim()];

/** The components of a node with a kubelet (external etcd members keep Debian's etcd in the lab). */
export const fixtureKinds = ['containerd', 'runc', 'cni', 'crictl'] as const satisfies readonly ComponentKind[];
type FixtureKind = (typeof fixtureKinds)[number];

/** A program of a release that the lab never runs: it says so and fails, as every stand-in does outside its model. */
const notModelled = (name: string) =>
	`#!/bin/sh\n${standInMarker}\necho "${name} (kubeha lab stand-in, a test fixture) not modelled: $*" >&2\nexit 1\n`;

/** `containerd --version` of an upstream 2.x release: the module path, the tag and the commit. */
export const upstreamContainerdVersion = (version: string) =>
	`containerd github.com/containerd/containerd/v2 v${version} 0000000000000000000000000000000000000000`;

/** Each fixture's files (path in the archive → content), as the release lays them out. */
function fixtureContents(kind: FixtureKind, version: string): Record<string, string> {
	switch (kind) {
		case 'containerd':
			return {
				'bin/containerd': standInScript('containerd', {LAB_CONTAINERD_VERSION: upstreamContainerdVersion(version)}),
				'bin/containerd-shim-runc-v2': notModelled('containerd-shim-runc-v2'),
				'bin/ctr': notModelled('ctr'),
				'bin/containerd-stress': notModelled('containerd-stress'),
			};
		case 'runc':
			return {runc: notModelled('runc')};
		case 'cni':
			return Object.fromEntries(
				['bandwidth', 'bridge', 'firewall', 'host-device', 'host-local', 'loopback', 'portmap', 'tuning'].map(
					(name) => [`./${name}`, notModelled(name)],
				),
			);
		case 'crictl':
			return {crictl: notModelled('crictl')};
	}
}

export type ReleaseFixture = {kind: FixtureKind; version: string; file: string; path: string; sha256: string};

function packFixture(root: string, kind: FixtureKind, arch: Architecture): ReleaseFixture {
	const version = componentsTable[minorOf(labKubernetes)]?.[kind].version ?? '';
	const source = artifactSources[kind];
	const file = source.file(version, arch);
	const path = join(root, kind, `v${version}`, file);
	mkdirSync(dirname(path), {recursive: true});
	const contents = fixtureContents(kind, version);
	if (source.format === 'binary') {
		writeFileSync(path, Object.values(contents)[0] ?? '', {mode: 0o755});
	} else {
		const staging = mkdtempSync(join(root, '.staging-'));
		for (const [inner, content] of Object.entries(contents)) {
			mkdirSync(dirname(join(staging, inner)), {recursive: true});
			writeFileSync(join(staging, inner), content);
			chmodSync(join(staging, inner), 0o755);
		}
		execFileSync('tar', ['-czf', path, '-C', staging, ...Object.keys(contents)]);
	}
	const sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
	return {kind, version, file, path, sha256};
}

let packed: {root: string; fixtures: ReleaseFixture[]} | undefined;

/** The fixtures, packed once per process into a directory of their own (`<kind>/v<version>/<file>`). */
export function releaseFixtures(): {root: string; fixtures: ReleaseFixture[]} {
	if (machineArch === undefined) throw new Error('the lab packs release fixtures for amd64 and arm64 machines only');
	if (packed === undefined || !existsSync(packed.root)) {
		const root = mkdtempSync(join(tmpdir(), 'kubeha-lab-releases-'));
		packed = {root, fixtures: fixtureKinds.map((kind) => packFixture(root, kind, machineArch))};
	}
	return packed;
}

export type ArtifactServer = {
	/** The base URL of a kind's files, for components.mirror. */
	base(kind: FixtureKind): string;
	/** The spec's components section: the mirror and the fixtures' releases with their sha256. */
	componentsYaml(): string;
	/** Each request, `<path> <status> <bytes>`, for assertions and figures. */
	readonly requests: string[];
	/** Serves a copy of the kind's file with one byte changed (its sha256 no longer matches), until restored. */
	corrupt(kind: FixtureKind): void;
	restore(): void;
	stop(): Promise<void>;
};

/** An HTTP server on the lab's bridge address (reachable from the hosts only, not beyond the lab network). */
export async function startArtifactServer(lab: Lab): Promise<ArtifactServer> {
	const {root, fixtures} = releaseFixtures();
	const requests: string[] = [];
	const corrupted = new Set<FixtureKind>();
	const server = createServer((request, response) => {
		const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://lab').pathname));
		const fixture = fixtures.find((candidate) => join(root, path) === candidate.path);
		if (request.method !== 'GET' || fixture === undefined) {
			requests.push(`${path} 404 0`);
			response.writeHead(404).end('not found\n');
			return;
		}
		const body = readFileSync(fixture.path);
		if (corrupted.has(fixture.kind)) body[body.length - 1] = (body.at(-1) ?? 0) ^ 0xff;
		requests.push(`${path} 200 ${body.length}`);
		response.writeHead(200, {'content-type': 'application/octet-stream', 'content-length': body.length}).end(body);
	});
	await new Promise<void>((resolve) => server.listen(0, lab.gateway, resolve));
	server.unref();
	const {port} = server.address() as AddressInfo;
	const base = (kind: FixtureKind) => `http://${lab.gateway}:${port}/${kind}`;
	return {
		base,
		requests,
		componentsYaml: () =>
			[
				'components:',
				'  mirror:',
				...fixtures.map((fixture) => `    ${fixture.kind}: ${base(fixture.kind)}`),
				'  releases:',
				...fixtures.map(
					(fixture) =>
						`    ${fixture.kind}: {version: ${fixture.version}, sha256: {${machineArch}: ${fixture.sha256}}}`,
				),
				'',
			].join('\n'),
		corrupt: (kind) => corrupted.add(kind),
		restore: () => corrupted.clear(),
		stop: () => new Promise((resolve) => server.close(() => resolve())),
	};
}
