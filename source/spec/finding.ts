/** One thing wrong with a spec: which rule, where, what and how to fix it. */
export type Finding = {
	/** Stable kebab-case id of the rule that found it. */
	readonly rule: string;
	readonly severity: 'error' | 'warning';
	/** Where in cluster.yaml, as `nodes[1].address`; empty for the whole file. */
	readonly path: string;
	/** The field's value and why it is wrong. */
	readonly message: string;
	/** What to change. */
	readonly fix: string;
	/** 1-based position in the file, when the loader knows it. */
	readonly line?: number;
	readonly column?: number;
};

export type PathSegment = string | number;

/** `['nodes', 1, 'address']` → `nodes[1].address` */
export function formatPath(path: readonly PathSegment[]): string {
	let text = '';
	for (const segment of path) {
		text += typeof segment === 'number' ? `[${segment}]` : text === '' ? segment : `.${segment}`;
	}

	return text;
}

export function error(rule: string, path: string, message: string, fix: string): Finding {
	return {rule, severity: 'error', path, message, fix};
}

export function warning(rule: string, path: string, message: string, fix: string): Finding {
	return {rule, severity: 'warning', path, message, fix};
}

export const hasErrors = (findings: readonly Finding[]): boolean => findings.some((f) => f.severity === 'error');

/** A value as it appears in a message: strings quoted, the rest as JSON. */
export const show = (value: unknown): string => {
	if (typeof value === 'string') {
		return `"${value}"`;
	}

	try {
		return JSON.stringify(value) ?? String(value);
	} catch {
		// Circular structures (YAML aliases) and BigInts cannot be JSON; their kind is enough for a message.
		return Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : String(value);
	}
};
