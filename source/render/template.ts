import Mustache from 'mustache';
import type {Templates} from './types.ts';

/** Fills a template from `templates/` with a view. Config files are not HTML: nothing is escaped. */
export function fill(context: {readonly templates: Templates}, name: string, view: object): string {
	const template = context.templates[name];
	if (template === undefined) {
		throw new Error(`template ${name} is missing from templates/`);
	}

	return Mustache.render(template, view, {}, {escape: (value: string) => value});
}
