import {setSection} from '../edit.ts';
import {type ActionQuestion, numberQuestion, type TextQuestion} from '../question.ts';
import {editing, type Step} from '../step.ts';

const user: TextQuestion = {
	id: 'sshUser',
	kind: 'text',
	prompt: 'SSH user',
	explanation: () => 'root, or a user with password-less sudo on every host.',
	paths: ['ssh.user'],
	read: (answers) => answers.spec.ssh.user,
	write: (answers, text) => setSection(answers, 'ssh', {user: text}),
};

const port = numberQuestion({
	id: 'sshPort',
	prompt: 'SSH port',
	explanation: () => 'The port sshd listens on, the same on every host.',
	paths: ['ssh.port'],
	read: (answers) => answers.spec.ssh.port,
	write: (answers, value) => setSection(answers, 'ssh', {port: value}),
});

const identityFile: TextQuestion = {
	id: 'identityFile',
	kind: 'text',
	prompt: 'SSH key',
	explanation: () => 'Path of the private key; leave it empty to use the SSH agent and ~/.ssh/config.',
	paths: ['ssh.identityFile'],
	empty: 'none',
	read: (answers) => answers.spec.ssh.identityFile ?? '',
	write: (answers, text) => setSection(answers, 'ssh', {identityFile: text === '' ? undefined : text}),
};

const checkHosts: ActionQuestion = {
	id: 'checkHosts',
	kind: 'action',
	action: 'check-hosts',
	prompt: 'Check the hosts',
	explanation: () => 'Optional: Enter connects to every node with these settings and shows which ones answer.',
	paths: [],
};

export const sshStep: Step = {
	id: 'ssh',
	title: 'SSH access',
	kind: 'form',
	shouldAsk: editing,
	questions: () => [user, port, identityFile, checkHosts],
	summary: ({spec: {ssh}}) => `${ssh.user}@…:${ssh.port}, ${ssh.identityFile ?? 'agent keys'}`,
};
