import {pathMatches} from '../../wizard/findings.ts';
import {nodeCellId, nodeFields} from '../../wizard/node-edits.ts';
import type {NodesQuestion, Question} from '../../wizard/question.ts';
import {reviewSummary} from '../../wizard/review.ts';
import {
	blockers,
	currentQuestions,
	currentStep,
	shownFindings,
	shownInvalid,
	type WizardState,
} from '../../wizard/state.ts';
import {formFindings, inputLabel} from '../../wizard/wording.ts';
import {textEdit} from '../components/use-text-field-state.ts';
import type {AppState} from '../hooks/use-app-state.ts';
import {type FieldView, FormScreen} from './form-screen.tsx';
import type {HostCheckRow} from './host-checks.tsx';
import {MenuScreen} from './menu-screen.tsx';
import {NodesScreen} from './nodes-screen.tsx';
import {ReviewScreen} from './review-screen.tsx';
import {fieldText} from './use-form-state.ts';

const errorOn = (wizard: WizardState, paths: readonly string[]): boolean =>
	shownFindings(wizard).some(
		(finding) => finding.severity === 'error' && paths.some((pattern) => pathMatches(pattern, finding.path)),
	);

/** Errors not shown yet (fields not left) do not scold here: Enter on Continue shows them. */
function continueLabel(wizard: WizardState): string {
	const {invalid, errors} = blockers(wizard);
	if (wizard.tried && (invalid.length > 0 || errors.length > 0)) {
		return 'Continue → (fix the errors below first)';
	}

	const warnings = shownFindings(wizard).filter((finding) => finding.severity === 'warning').length;
	return warnings > 0 ? `Continue → (accepting ${warnings} warning${warnings === 1 ? '' : 's'})` : 'Continue →';
}

/** A form question as the screen draws it; the focused text field shows the text as typed. */
function fieldView(question: Exclude<Question, NodesQuestion>, state: AppState): FieldView {
	const {wizard, screen} = state;
	const base = {
		id: question.id,
		label: question.prompt,
		explanation: question.explanation(wizard.answers),
		flagged: errorOn(wizard, question.paths),
		...(shownInvalid(wizard)[question.id] ? {error: shownInvalid(wizard)[question.id]?.error} : {}),
	};
	if (question.kind === 'choice') {
		return {...base, kind: 'choice', options: question.options(wizard.answers), value: question.read(wizard.answers)};
	}

	if (question.kind === 'action') {
		return wizard.environment.canCheckHosts
			? {...base, kind: 'action'}
			: {...base, kind: 'action', unavailable: 'not available yet'};
	}

	const typed = screen.kind === 'form' && screen.focus === question.id;
	return {...base, kind: 'text', edit: typed ? screen.edit : textEdit(fieldText(question, wizard))};
}

const formFields = (state: AppState): FieldView[] =>
	currentQuestions(state.wizard)
		.filter((question) => question.kind !== 'nodes')
		.map((question) => fieldView(question, state));

function checkRows(state: AppState): HostCheckRow[] {
	return state.wizard.answers.spec.nodes.flatMap((node) => {
		const check = state.checks[node.name];
		return check ? [{name: node.name, address: node.address, check}] : [];
	});
}

/** The current step's screen, given its data; the screens themselves know nothing of the wizard's state. */
export function CurrentScreen({state, rows}: {readonly state: AppState; readonly rows: number}) {
	const {wizard, screen} = state;
	const step = currentStep(wizard);
	const findings = formFindings(shownFindings(wizard), wizard);
	switch (screen.kind) {
		case 'menu': {
			const question = currentQuestions(wizard)[0];
			return question?.kind === 'choice' ? (
				<MenuScreen
					prompt={question.prompt}
					explanation={question.explanation(wizard.answers)}
					options={question.options(wizard.answers)}
					focus={screen.focus}
					diff={step.preview?.(wizard.answers) ?? []}
					notes={step.notes?.(wizard.answers) ?? []}
					findings={findings}
				/>
			) : undefined;
		}

		case 'form': {
			return (
				<FormScreen
					fields={formFields(state)}
					focus={screen.focus}
					notes={step.notes?.(wizard.answers) ?? []}
					findings={findings}
					checks={checkRows(state)}
					continueLabel={continueLabel(wizard)}
				/>
			);
		}

		case 'nodes': {
			const invalid = shownInvalid(wizard);
			const nodeRows = wizard.answers.spec.nodes.map((node, index) => ({
				cells: {name: node.name, address: node.address, roles: node.roles.join(', ')},
				flagged: nodeFields.filter(
					(field) => invalid[nodeCellId(index, field)] || errorOn(wizard, [nodeCellId(index, field)]),
				),
			}));
			const inputErrors = Object.entries(invalid)
				.filter(([id]) => id.startsWith('nodes['))
				.map(([id, input]) => `${inputLabel(wizard, id)}: ${input.error}`);
			// The focused row's findings first; few on a short terminal, so that the table stays in sight.
			const row = typeof screen.focus === 'string' ? -1 : screen.focus.row;
			const ofRow = (path: string) => path.startsWith(`nodes[${row}].`);
			const ordered = [...findings.filter((f) => ofRow(f.path)), ...findings.filter((f) => !ofRow(f.path))];
			return (
				<NodesScreen
					rows={nodeRows}
					focus={screen.focus}
					edit={screen.edit}
					explanation={currentQuestions(wizard)[0]?.explanation(wizard.answers) ?? ''}
					inputErrors={inputErrors.slice(0, rows < 40 ? 1 : 3)}
					findings={ordered}
					findingsLimit={rows < 40 ? 1 : 3}
				/>
			);
		}

		case 'review': {
			return (
				<ReviewScreen
					load={state.review}
					selected={screen.selected}
					offset={screen.offset}
					findings={findings}
					summary={state.review.status === 'ready' ? reviewSummary(state.review.review, wizard.environment) : []}
					listHeight={Math.max(3, Math.floor((rows - 12) / 3))}
					diffHeight={Math.max(5, rows - 14 - Math.floor((rows - 12) / 3))}
				/>
			);
		}
	}
}
