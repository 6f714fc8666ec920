import {Text} from 'ink';
import type {TextEdit} from './use-text-field-state.ts';

type Props = {
	readonly edit: TextEdit;
	/** The cursor is drawn only in the focused field. */
	readonly focused: boolean;
	/** Shown dimmed when the value is empty. */
	readonly placeholder?: string;
};

/**
One line of editable text, the cursor in inverse video.

	192.168.1.9█
*/
export function TextField({edit, focused, placeholder}: Props) {
	if (!focused) {
		return edit.value === '' ? <Text dimColor>{placeholder ?? '—'}</Text> : <Text>{edit.value}</Text>;
	}

	if (edit.selected) {
		return (
			<Text>
				<Text inverse>{edit.value}</Text>
			</Text>
		);
	}

	const before = edit.value.slice(0, edit.cursor);
	const under = edit.value[edit.cursor] ?? ' ';
	const after = edit.value.slice(edit.cursor + 1);
	return (
		<Text>
			{before}
			<Text inverse>{under}</Text>
			{after}
		</Text>
	);
}
