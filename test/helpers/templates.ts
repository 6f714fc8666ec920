import {readTemplates} from '../../source/io/templates.ts';
import type {Templates} from '../../source/render/types.ts';

/** Every file of templates/, by file name, read the way the CLI reads them. */
export const templates: Templates = await readTemplates();
