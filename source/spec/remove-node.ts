import {isDeepStrictEqual} from 'node:util';
import {CST, isMap, isSeq, parseDocument} from 'yaml';

/**
The spec without one node. The node's entry is cut out of the text as written, with the comment and blank lines
just above it (a comment above the first entry stays: it may be about the whole list), so that every other line,
comment and quirk of layout stays byte for byte. Should the cut not give the document the yaml library gives
by deleting the entry (a flow list `nodes: [...]`, an unusual layout), that document is printed instead, in
kubeha's own style, comments kept. Pure. The caller has checked that the spec lists the node.
*/
export function removeNodeFromSpecText(text: string, name: string): string {
	const document = parseDocument(text, {keepSourceTokens: true});
	const nodes = document.get('nodes', true);
	const index = isSeq(nodes) ? nodes.items.findIndex((item) => isMap(item) && item.get('name') === name) : -1;
	if (!isSeq(nodes) || index === -1) {
		throw new Error(`the spec lists no node named ${name}: look it up before removing it.`);
	}

	const expected = document.clone();
	expected.deleteIn(['nodes', index]);
	const cut = withoutBlockItem(text, nodes.srcToken, index);
	if (cut !== undefined && isDeepStrictEqual(parseDocument(cut).toJS(), expected.toJS())) {
		return cut;
	}

	// The wizard's style (source/wizard/serialize.ts).
	return expected.toString({lineWidth: 0, flowCollectionPadding: false});
}

/** The text without item `index` of a block sequence, from the start of its first line (comments above included). */
function withoutBlockItem(text: string, token: CST.Token | undefined, index: number): string | undefined {
	if (token?.type !== 'block-seq') {
		return undefined;
	}

	const item = token.items[index];
	const first = item?.start[0];
	if (item === undefined || first === undefined || item.value === undefined) {
		return undefined;
	}

	const next = token.items[index + 1]?.start[0];
	const end = next === undefined ? item.value.offset + CST.stringify(item.value).length : lineStart(text, next.offset);
	return text.slice(0, lineStart(text, first.offset)) + text.slice(end);
}

const lineStart = (text: string, offset: number): number => text.lastIndexOf('\n', offset - 1) + 1;
