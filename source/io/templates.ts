import {readdir, readFile} from 'node:fs/promises';
import {join} from 'node:path';
import type {Templates} from '../render/types.ts';
import {packageRoot} from './package-root.ts';

/** Reads every file of `templates/` for the renderer, which does no IO itself. */
export async function readTemplates(directory = join(packageRoot(), 'templates')): Promise<Templates> {
	const names = (await readdir(directory)).sort();
	const texts = await Promise.all(names.map(async (name) => readFile(join(directory, name), 'utf8')));
	return Object.fromEntries(names.map((name, index) => [name, texts[index] ?? '']));
}
