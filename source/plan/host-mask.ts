import type {Redact} from '../runner/redact.ts';
import {maskSecrets} from '../secrets/mask.ts';
import type {Secrets} from '../secrets/types.ts';

/** A secret's value and the placeholder a masked render puts in its place. */
export type SecretPlaceholder = readonly [value: string, placeholder: string];

/**
Every secret value with its placeholder, longest first (so a value that contains another is replaced whole):
the leaves where the secrets and their masked copy differ.
*/
export function secretPlaceholders(secrets: Secrets): SecretPlaceholder[] {
	const pairs = new Map<string, string>();
	const walk = (real: unknown, masked: unknown): void => {
		if (typeof real === 'string') {
			if (typeof masked === 'string' && real !== masked && real !== '') {
				pairs.set(real, masked);
			}

			return;
		}

		if (real !== null && typeof real === 'object' && masked !== null && typeof masked === 'object') {
			for (const [key, value] of Object.entries(real)) {
				walk(value, (masked as Record<string, unknown>)[key]);
			}
		}
	};
	walk(secrets, maskSecrets(secrets));
	return [...pairs].sort(([a], [b]) => b.length - a.length);
}

const placeholderPattern = /<secret:[a-z\d-]+>/g;
const privateKeyBlock = /-----BEGIN ([A-Z\d ]*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/g;

/** The marker for a secret whose value on the host is not the spec's: the plan says so without showing it. */
export const otherSecretValue = (placeholder: string): string => placeholder.replace(/>$/, ', another value>');

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A line of the expected copy with its placeholders as wildcards (whitespace-tolerant), or none without one. */
function lineTemplate(line: string): {pattern: RegExp; placeholders: string[]} | undefined {
	const placeholders = line.match(placeholderPattern);
	if (!placeholders) {
		return undefined;
	}

	const literal = (text: string) => escapeRegExp(text.trim()).replace(/\s+/g, '\\s+');
	const parts = line.split(placeholderPattern).map(literal);
	// `d`: the match carries each group's position, so the values are replaced where they are.
	return {pattern: new RegExp(`^\\s*${parts.join('\\s*(.*?)\\s*')}\\s*$`, 'd'), placeholders};
}

/** The line with each value in a placeholder's place that is not the placeholder itself marked as another value. */
function hideOtherValues(line: string, template: {pattern: RegExp; placeholders: string[]}): string | undefined {
	const match = template.pattern.exec(line);
	if (!match?.indices) {
		return undefined;
	}

	let result = line;
	// From the last group back, so earlier positions stay valid.
	for (let group = template.placeholders.length; group >= 1; group--) {
		const value = match[group];
		const at = match.indices[group];
		const placeholder = template.placeholders[group - 1] ?? '';
		if (value && at && value !== placeholder) {
			result = result.slice(0, at[0]) + otherSecretValue(placeholder) + result.slice(at[1]);
		}
	}

	return result;
}

/**
A copy of a file from a host, fit to show next to kubeha's masked render of it: each value of the cluster's
secrets becomes its placeholder; on a line where the masked render has a placeholder, whatever the host has in
its place (an older password, another cluster's token) becomes `<secret:NAME, another value>`; any private key
block left (one that is not this cluster's) is hidden; and the redactor runs last, as a net.
*/
export function maskHostCopy(
	text: string,
	expectedMasked: string,
	placeholders: readonly SecretPlaceholder[],
	redact: Redact,
): string {
	const known = placeholders
		.reduce((masked, [value, placeholder]) => masked.split(value).join(placeholder), text)
		.replace(privateKeyBlock, '<a private key that is not the spec’s>');
	const templates = expectedMasked.split('\n').flatMap((line) => lineTemplate(line) ?? []);
	const lines = known
		.split('\n')
		.map(
			(line) =>
				templates.reduce<string | undefined>(
					(hidden, template) => hidden ?? hideOtherValues(line, template),
					undefined,
				) ?? line,
		);
	return redact(lines.join('\n'));
}
