import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Key} from 'ink';
import {noKey, splitKeys} from '../../source/ui/hooks/use-keys.ts';

const key = (flags: Partial<Key> = {}) => ({return: false, tab: false, ...flags}) as Key;
const simplified = (presses: {input: string; key: Key}[]) =>
	presses.map(({input, key: pressed}) => (pressed.return ? '⏎' : pressed.tab ? '⇥' : input));

test('a chunk of typed text with Enter and Tab in it is split into the keys it holds', () => {
	assert.deepEqual(simplified(splitKeys('192.168.1.91\r', key())), ['192.168.1.91', '⏎']);
	assert.deepEqual(simplified(splitKeys('\r\r\r', key())), ['⏎', '⏎', '⏎']);
	assert.deepEqual(simplified(splitKeys('cp1\t10.0.0.1\n', key())), ['cp1', '⇥', '10.0.0.1', '⏎']);
});

test('a single key or plain text is passed on as it came', () => {
	const enter = key({return: true});
	assert.deepEqual(splitKeys('\r', enter), [{input: '\r', key: enter}]);
	assert.deepEqual(splitKeys('prod', key()), [{input: 'prod', key: key()}]);
});

test('Ctrl+letter inside a chunk is a key of its own, as ink reports it alone', () => {
	assert.deepEqual(splitKeys('\r\r\u0015', key()), [
		{input: '', key: {...noKey, return: true}},
		{input: '', key: {...noKey, return: true}},
		{input: 'u', key: {...noKey, ctrl: true}},
	]);
	assert.deepEqual(
		splitKeys('20\u00040', key()).map((press) => `${press.key.ctrl ? 'Ctrl-' : ''}${press.input}`),
		['20', 'Ctrl-d', '0'],
	);
});
