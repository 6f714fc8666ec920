import {pathMatches} from '../../wizard/findings.ts';
import {nodeCellId, nodeFields} from '../../wizard/node-edits.ts';
import type {NodesQuestion, Question} from '../../wizard/question.ts';
import {reviewSummary} from '../../wizard/review.ts';
import {blockers, currentFindings, currentQuestions, currentStep, type WizardState} from '../../wizard/state.ts';
import {textEdit} from '../components/use-text-field-state.ts';
import type {AppState} from '../hooks/use-app-state.ts';
import {type FieldView, FormScreen} from './form-screen.tsx';
import type {HostCheckRow} from './host-checks.tsx';
import {MenuScreen} from './menu-screen.tsx';
import {NodesScreen} from './nodes-screen.tsx';
import {ReviewScreen} from './review-screen.tsx';
import {fieldText} from './use-form-state.ts';

const errorOn = (wizard: WizardState, paths: readonly string[]): boolean =>
	currentFindings(wizard).some(
		(finding) => finding.severity === 'error' && paths.some((pattern) => pathMatches(pattern, finding.path)),
	);

function continueLabel(wizard: WizardState): string {
	const {invalid, errors} = blockers(wizard);
	if (invalid.length > 0 || errors.length > 0) {
		return 'Continue → (fix the errors below first)';
	}

	const warnings = currentFindings(wizard).length;
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
		...(wizard.invalid[question.id] ? {error: wizard.invalid[question.id]?.error} : {}),
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
	const file = wizard.environment.configPath;
	const findings = currentFindings(wizard);
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
					file={file}
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
					file={file}
					checks={checkRows(state)}
					continueLabel={continueLabel(wizard)}
				/>
			);
		}

		case 'nodes': {
			const nodeRows = wizard.answers.spec.nodes.map((node, index) => ({
				cells: {name: node.name, address: node.address, roles: node.roles.join(', ')},
				flagged: nodeFields.filter(
					(field) => wizard.invalid[nodeCellId(index, field)] || errorOn(wizard, [nodeCellId(index, field)]),
				),
			}));
			const inputErrors = Object.entries(wizard.invalid)
				.filter(([id]) => id.startsWith('nodes['))
				.map(([id, input]) => `${id}: ${input.error}`);
			return (
				<NodesScreen
					rows={nodeRows}
					focus={screen.focus}
					edit={screen.edit}
					explanation={currentQuestions(wizard)[0]?.explanation(wizard.answers) ?? ''}
					inputErrors={inputErrors}
					findings={findings}
					file={file}
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
					file={file}
					summary={state.review.status === 'ready' ? reviewSummary(state.review.review, wizard.environment) : []}
					listHeight={Math.max(3, Math.floor((rows - 12) / 3))}
					diffHeight={Math.max(5, rows - 14 - Math.floor((rows - 12) / 3))}
				/>
			);
		}
	}
}
