// Test fixture: makes a stand-in start fast. Node strips the types of every .ts file it loads, and the first strip in
// a process loads the stripper (a WebAssembly module) for about 80 ms of CPU, on every call of every stand-in; an
// install calls them hundreds of times. This hook (`node --import` it, see host-files.ts) keeps Node's own stripped
// output in a cache keyed by the source, so a process that finds every file in the cache never loads the stripper.
// The code that runs is exactly what Node would have run. Plain JavaScript on purpose: this file is loaded before
// anything can strip types, and must not need it.
import {createHash} from 'node:crypto';
import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import {registerHooks, stripTypeScriptTypes} from 'node:module';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

/** In the checkout (which every lab host sees) and ignored by git with the rest of node_modules. */
const cacheDirectory = join(import.meta.dirname, '../../../../node_modules/.cache/kubeha-lab-stand-ins');

/** Node's stripper without its one-time ExperimentalWarning, which a stand-in's stderr must not gain. */
function strip(source) {
	const emitWarning = process.emitWarning;
	process.emitWarning = () => undefined;
	try {
		return stripTypeScriptTypes(source);
	} finally {
		process.emitWarning = emitWarning;
	}
}

/** Best effort: a checkout the hosts cannot write to just means stripping every time, as without this hook. */
function store(path, code) {
	try {
		mkdirSync(cacheDirectory, {recursive: true});
		const temporary = `${path}.${process.pid}.tmp`;
		writeFileSync(temporary, code);
		// Atomic: a stand-in running at the same time reads the old state or the whole file, never half of it.
		renameSync(temporary, path);
	} catch {}
}

registerHooks({
	load(url, context, nextLoad) {
		// Node refuses to strip types below node_modules; leave that, and everything not TypeScript, to Node.
		if (!url.startsWith('file:') || !url.endsWith('.ts') || url.includes('/node_modules/')) {
			return nextLoad(url, context);
		}

		const source = readFileSync(fileURLToPath(url), 'utf8');
		// The URL decides the module format (the nearest package.json), the Node version the stripper.
		const key = createHash('sha256').update(`${process.version}\0${url}\0${source}`).digest('hex');
		const cached = join(cacheDirectory, `${key}.js`);
		try {
			return {format: 'module', source: readFileSync(cached, 'utf8'), shortCircuit: true};
		} catch {}

		const loaded = nextLoad(url, context);
		if (loaded.format !== 'module-typescript') return loaded;
		const code = strip(String(loaded.source));
		store(cached, code);
		return {format: 'module', source: code, shortCircuit: true};
	},
});
