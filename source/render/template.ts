import Mustache from 'mustache';
import type {RenderedFile, Templates} from './types.ts';

/** Fills a template from `templates/` with a view. Config files are not HTML: nothing is escaped. */
export function fill(context: {readonly templates: Templates}, name: string, view: object): string {
	const template = context.templates[name];
	if (template === undefined) {
		throw new Error(`template ${name} is missing from templates/`);
	}

	return Mustache.render(template, view, {}, {escape: (value: string) => value});
}

/** A timer's files (script 0700, units 0644): each template filled with one view, holding no secret. */
export function timerFiles(
	context: {readonly templates: Templates},
	view: object,
	files: readonly {readonly path: string; readonly template: string; readonly mode: number}[],
): RenderedFile[] {
	return files.map(({path, template, mode}) => ({path, content: fill(context, template, view), mode, secret: false}));
}
