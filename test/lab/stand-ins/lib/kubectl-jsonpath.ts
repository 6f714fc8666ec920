// Test fixture for the lab's kubectl stand-in: the part of kubectl's JSONPath templates kubeha uses, a single
// `{.field.list[*].field}` expression whose results are joined by spaces, as kubectl prints them.
import {NotModelled} from './not-modelled.ts';

const expression = /^\{((?:\.[A-Za-z0-9_-]+(?:\[\*\])?)+)\}$/;

/** The text `kubectl get -o jsonpath=TEMPLATE` prints for a value (no trailing newline, as kubectl). */
export function jsonpath(template: string, value: unknown): string {
	const match = expression.exec(template);
	if (match === null) throw new NotModelled(`the JSONPath template ${template} (modelled: {.a.b[*].c})`);
	const steps = [...(match[1] ?? '').matchAll(/\.([A-Za-z0-9_-]+)(\[\*\])?/g)];
	let values: unknown[] = [value];
	for (const [, field = '', all] of steps) {
		values = values.flatMap((current) => {
			const next = (current as Record<string, unknown> | null | undefined)?.[field];
			if (next === undefined) return [];
			return all === undefined ? [next] : Array.isArray(next) ? next : [];
		});
	}
	return values.map((result) => (typeof result === 'object' ? JSON.stringify(result) : String(result))).join(' ');
}
