import {existsSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

/** The directory of kubeha's package.json, found from this file whether it runs from source or from the build. */
export function packageRoot(): string {
	let directory = dirname(fileURLToPath(import.meta.url));
	while (!existsSync(join(directory, 'package.json'))) {
		const parent = dirname(directory);
		if (parent === directory) {
			throw new Error('kubeha: cannot find its own package.json; is the installation complete?');
		}

		directory = parent;
	}

	return directory;
}
