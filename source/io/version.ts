import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {packageRoot} from './package-root.ts';

/** kubeha's own version, from its package.json. */
export const kubehaVersion = (): string =>
	(JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {version: string}).version;
