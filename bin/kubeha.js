#!/usr/bin/env node
// Plain JavaScript that old Node versions parse: the version check runs before any of kubeha is loaded, so a
// Node that lacks what kubeha uses (Map.groupBy, require of ES modules…) prints one line instead of a stack trace.
import {readFileSync} from 'node:fs';
import module from 'node:module';

const engines = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).engines.node;
const parts = (version) =>
	version
		.replace(/^[^\d]*/, '')
		.split('.')
		.map(Number);
const [needMajor, needMinor = 0] = parts(engines);
const [major, minor] = parts(process.versions.node);
if (major < needMajor || (major === needMajor && minor < needMinor)) {
	process.stderr.write(
		`kubeha: needs Node.js ${engines} (package.json engines), found ${process.versions.node} at ${process.execPath}; ` +
			`install Node.js 22 LTS (https://nodejs.org/en/download, or \`nvm install 22\`) and run kubeha with it.\n`,
	);
	process.exit(2);
}

// Compiled code is cached on disk (Node ≥ 22.1): a command starts about a fifth faster from the second run on.
module.enableCompileCache?.();
await import('../distribution/source/cli.js');
