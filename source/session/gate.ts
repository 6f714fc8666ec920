import {UserError} from '../io/user-error.ts';
import type {Session} from './session.ts';

/*
The confirmation gate of every command that changes something: --yes, or a question in a terminal; without
either, a refusal before anything is reached. One place, so that every command asks and refuses alike.
*/

/** Stops before anything happens when no one can be asked and --yes was not given. */
export function requireConsent(session: Session, what: string, hint = ''): void {
	if (!session.yes && !session.dependencies.interactive) {
		throw new UserError(`${what}; confirm it in a terminal, or pass --yes${hint}.`);
	}
}

/** --yes, or the operator's yes; a no is said ("nothing was changed.") and resolves to false. */
export const agreed = async (session: Session, question: string): Promise<boolean> =>
	session.yes || (await asked(session, question));

async function asked(session: Session, question: string): Promise<boolean> {
	if (await session.dependencies.confirm(question)) {
		return true;
	}

	session.say('nothing was changed.');
	return false;
}

/**
Whether an install may overwrite files changed on the hosts since the last apply (drift, as `host:path`): yes
without drift or with --overwrite-drift; otherwise the operator at a terminal decides, and --yes (no one to
ask) stops.
*/
export async function driftAllowed(session: Session, drifted: readonly string[], overwrite: boolean): Promise<boolean> {
	if (drifted.length === 0 || overwrite) {
		return true;
	}

	const files = drifted.join(', ');
	if (session.yes || !session.dependencies.interactive) {
		session.say(
			`kubeha stopped before changing anything: ${files} changed on the host since kubeha last applied ${drifted.length === 1 ? 'it' : 'them'} (the difference is above). To keep the change, carry it into ${session.config} (or the templates) first; to replace it with what the spec renders, run again with --overwrite-drift.`,
		);
		return false;
	}

	return asked(session, `Overwrite ${files}, changed on the host since the last apply?`);
}
