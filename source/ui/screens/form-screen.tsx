import {Box, Text} from 'ink';
import type {Choice} from '../../wizard/question.ts';
import type {FormFinding} from '../../wizard/wording.ts';
import {ChoiceField} from '../components/choice-field.tsx';
import {FindingsList} from '../components/findings-list.tsx';
import {TextField} from '../components/text-field.tsx';
import type {TextEdit} from '../components/use-text-field-state.ts';
import {type HostCheckRow, HostChecks} from './host-checks.tsx';

/** A form field as the screen draws it. */
export type FieldView = {
	readonly id: string;
	readonly label: string;
	readonly explanation: string;
	/** Why the typed text was not taken. */
	readonly error?: string;
	/** Whether a finding with an error is on this field. */
	readonly flagged: boolean;
} & (
	| {readonly kind: 'text'; readonly edit: TextEdit}
	| {readonly kind: 'choice'; readonly options: readonly Choice[]; readonly value: string}
	| {readonly kind: 'action'; readonly unavailable?: string}
);

type Props = {
	readonly fields: readonly FieldView[];
	/** A field id, or `continue`. */
	readonly focus: string;
	readonly notes: readonly string[];
	readonly findings: readonly FormFinding[];
	readonly checks: readonly HostCheckRow[];
	/** Shown on the continue line: what Enter there does. */
	readonly continueLabel: string;
};

const labelWidth = 24;

function FieldValue({field, focused}: {readonly field: FieldView; readonly focused: boolean}) {
	switch (field.kind) {
		case 'text': {
			return <TextField edit={field.edit} focused={focused} />;
		}

		case 'choice': {
			return <ChoiceField options={field.options} value={field.value} focused={focused} />;
		}

		case 'action': {
			return <Text dimColor={field.unavailable !== undefined}>{field.unavailable ?? '[ Enter ]'}</Text>;
		}
	}
}

/**
Questions one under the other; the focused one says what it means.

	❯ Control planes          3
	    Each runs an API server and an etcd member.
	  Workers                 2
	  Continue →
	3 etcd members tolerate 1 failure (quorum 2).
*/
export function FormScreen({fields, focus, notes, findings, checks, continueLabel}: Props) {
	return (
		<Box flexDirection="column">
			{fields.map((field) => (
				<Box key={field.id} flexDirection="column">
					<Box>
						<Box width={labelWidth} flexShrink={0}>
							<Text color={field.flagged ? 'red' : focus === field.id ? 'cyan' : undefined} bold={focus === field.id}>
								{`${focus === field.id ? '❯' : ' '} ${field.label}`}
							</Text>
						</Box>
						<FieldValue field={field} focused={focus === field.id} />
					</Box>
					<Box paddingLeft={4} flexDirection="column">
						{focus === field.id ? <Text dimColor>{field.explanation}</Text> : undefined}
						{field.error ? <Text color="red">{`✖ ${field.error}`}</Text> : undefined}
					</Box>
				</Box>
			))}
			<Text color={focus === 'continue' ? 'cyan' : undefined} bold={focus === 'continue'}>
				{`${focus === 'continue' ? '❯' : ' '} ${continueLabel}`}
			</Text>
			<HostChecks rows={checks} />
			<Box flexDirection="column" marginTop={1}>
				{notes.map((note) => (
					<Text key={note}>{note}</Text>
				))}
				<FindingsList findings={findings} />
			</Box>
		</Box>
	);
}
