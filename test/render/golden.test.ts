import assert from 'node:assert/strict';
import {mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {describe, test} from 'node:test';
import {readTemplates} from '../../source/io/templates.ts';
import {renderCluster} from '../../source/render/index.ts';
import {maskSecrets} from '../../source/secrets/mask.ts';
import {loadSpec} from '../../source/spec/load.ts';
import {testSecrets} from '../helpers/secrets.ts';

/**
Every example's rendered files, compared byte for byte with test/golden/<example>/. After an intended change:
`UPDATE_GOLDEN=1 npm test`, then review the diff of test/golden/ like any other change.
The files are rendered from the fixed test secrets, masked, as `kubeha render` shows them.
*/
const update = process.env['UPDATE_GOLDEN'] === '1';
const goldenRoot = 'test/golden';
const examples = readdirSync('examples')
	.filter((name) => name.endsWith('.yaml'))
	.map((name) => name.replace(/\.yaml$/, ''));

describe('golden files', async () => {
	const templates = await readTemplates();
	for (const example of examples) {
		test(`examples/${example}.yaml renders as test/golden/${example}/`, async () => {
			const {spec, findings} = loadSpec(readFileSync(`examples/${example}.yaml`, 'utf8'));
			assert.ok(spec, JSON.stringify(findings));
			const hosts = renderCluster(spec, maskSecrets(testSecrets), templates);
			const manifest = hosts
				.flatMap((host) =>
					host.files.map(
						(file) => `${host.node} ${file.path} 0${file.mode.toString(8)}${file.secret ? ' secret' : ''}`,
					),
				)
				.join('\n');
			const expected = new Map(
				hosts.flatMap((host) => host.files.map((file) => [join(host.node, file.path), file.content] as const)),
			);
			expected.set('MANIFEST', `${manifest}\n`);
			const directory = join(goldenRoot, example);
			if (update) {
				rmSync(directory, {recursive: true, force: true});

				for (const [path, content] of expected) {
					mkdirSync(dirname(join(directory, path)), {recursive: true});
					writeFileSync(join(directory, path), content);
				}
			}

			const present = readdirSync(directory, {recursive: true, withFileTypes: true})
				.filter((entry) => entry.isFile())
				.map((entry) => join(entry.parentPath, entry.name).slice(directory.length + 1))
				.sort();
			assert.deepEqual(present, [...expected.keys()].sort(), 'the set of rendered files changed');
			for (const [path, content] of expected) {
				assert.equal(
					content,
					readFileSync(join(directory, path), 'utf8'),
					`${example}/${path} differs from its golden file`,
				);
			}
		});
	}
});
