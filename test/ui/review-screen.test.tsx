import assert from 'node:assert/strict';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, before, describe, test} from 'node:test';
import {cleanup} from 'ink-testing-library';
import {ensureSecretsFile} from '../../source/io/secrets-file.ts';
import {readTemplates} from '../../source/io/templates.ts';
import {renderCluster} from '../../source/render/index.ts';
import type {RenderedFile} from '../../source/render/types.ts';
import {maskSecrets} from '../../source/secrets/mask.ts';
import {error} from '../../source/spec/finding.ts';
import {App} from '../../source/ui/app.tsx';
import {reviewPage} from '../../source/ui/screens/use-review-state.ts';
import {effectiveSpec, loadReview} from '../../source/wizard/session-io.ts';
import {keys, renderInk} from '../helpers/render-ink.tsx';
import {exampleAnswers, fakeServices, outcome, stateAt} from '../wizard/helpers.ts';

afterEach(cleanup);

const answers = exampleAnswers('three-control-planes');
const configPath = join(mkdtempSync(join(tmpdir(), 'kubeha-review-')), 'cluster.yaml');
/** cp1's files as the review shows them (secrets masked), in the order it lists them. */
let files: {path: string; content: string; secret: boolean; mode: string}[] = [];

before(async () => {
	const spec = effectiveSpec(answers);
	const {secrets} = await ensureSecretsFile(configPath, spec);
	const hosts = renderCluster(spec, maskSecrets(secrets), await readTemplates());
	const summarize = (file: RenderedFile) => ({
		path: file.path,
		content: file.content,
		secret: file.secret,
		mode: `0${file.mode.toString(8)}`,
	});
	files = hosts[0]?.files.map(summarize) ?? [];
});

describe('the review screen', () => {
	test('shows a new file, a changed one and an unchanged one each as what it is', async () => {
		const plain = files.filter((file) => !file.secret && file.content.split('\n').length > 2);
		const [changed, unchanged] = plain;
		assert.ok(changed && unchanged, 'cp1 gets at least two files without secrets');
		const olderFirstLine = '# an older copy of this file';
		const current = new Map([
			[changed.path, [olderFirstLine, ...changed.content.split('\n').slice(1)].join('\n')],
			[unchanged.path, unchanged.content],
		]);
		const {services} = fakeServices({
			review: async (reviewed) =>
				loadReview(configPath, effectiveSpec(reviewed), async (node, path) =>
					node.name === 'cp1' ? current.get(path) : undefined,
				),
		});
		const ui = renderInk(<App initial={stateAt('review', answers)} services={services} onDone={outcome().onDone} />);
		await ui.waitFor(/5 hosts, \d+ files: \d+ new, 1 changed, 1 unchanged\./);
		assert.match(ui.frame(), /is not available yet\./);
		const select = async (path: string) => {
			const index = files.findIndex((file) => file.path === path);
			await ui.press(...Array.from({length: 20}, () => keys.up), ...Array.from({length: index}, () => keys.down));
			await ui.waitFor(`── cp1:${path}`);
		};

		await select(changed.path);
		await ui.waitFor(`── cp1:${changed.path} (changed, ${changed.mode}) ──`);
		await ui.waitFor(`-${olderFirstLine}`);
		// Long lines are cut at the screen's edge; their start is enough to know them.
		await ui.waitFor(`+${changed.content.split('\n')[0]?.slice(0, 40)}`);
		assert.match(ui.frame(), /@@ -1,\d+ \+1,\d+ @@/);

		await select(unchanged.path);
		await ui.waitFor(`── cp1:${unchanged.path} (unchanged, ${unchanged.mode}) ──`);
		await ui.waitFor('The host has this file exactly; nothing changes.');

		const fresh = files.find((file) => !current.has(file.path));
		assert.ok(fresh);
		await select(fresh.path);
		await ui.waitFor(`── cp1:${fresh.path} (new`);
		await ui.waitFor(`+${fresh.content.split('\n')[0]?.slice(0, 40)}`);
		assert.doesNotMatch(ui.frame(), /^-/m);
	});

	test('masks secrets, and scrolls a long file with PgDn and PgUp', async () => {
		const {services} = fakeServices({
			review: async (reviewed) => loadReview(configPath, effectiveSpec(reviewed), async () => undefined),
		});
		const ui = renderInk(<App initial={stateAt('review', answers)} services={services} onDone={outcome().onDone} />);
		await ui.waitFor('0 changed, 0 unchanged');
		const long = files.findIndex((file) => file.secret && file.content.split('\n').length > 25);
		assert.notEqual(long, -1, 'cp1 gets a long file with secrets (kubeadm init configuration)');
		await ui.press(...Array.from({length: long}, () => keys.down));
		await ui.waitFor('secrets masked) ──');
		assert.match(ui.frame(), /lines 1-\d+ of \d+/);
		await ui.press(keys.pageDown);
		await ui.waitFor(new RegExp(`lines ${reviewPage + 1}-\\d+ of \\d+`));
		await ui.press(keys.pageUp);
		await ui.waitFor(/lines 1-\d+ of \d+/);
		await ui.press(keys.pageDown, keys.pageDown, keys.pageDown);
		assert.doesNotMatch(ui.frame(), /BEGIN (RSA |EC )?PRIVATE KEY/);
	});

	test('with errors, lists them all and renders nothing; Enter does not go on', async () => {
		const {services} = fakeServices();
		const blocking = error('vip-required', 'loadBalancer.vip', 'loadBalancer.vip is missing', 'add it.');
		const ui = renderInk(
			<App
				initial={stateAt('review', answers, {validate: () => [blocking]})}
				services={services}
				onDone={outcome().onDone}
			/>,
		);
		await ui.waitFor('Fix these first (Esc goes back to the screens)');
		await ui.waitFor('✖ Virtual IP is missing [vip-required]');
		await ui.press(keys.enter);
		assert.match(ui.frame(), /Review \(7\/8\)/);
	});
});
