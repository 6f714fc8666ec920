import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {fires, silent} from '../../helpers/spec.ts';

describe('ssh-user', () => {
	const withUser = (user: string) =>
		fires('ssh-user', (draft) => {
			draft.ssh.user = user;
		});

	it('fires on user@host and suggests the user', () => {
		const finding = withUser('admin@cp1');
		assert.equal(finding.path, 'ssh.user');
		assert.match(finding.fix, /"admin"/);
	});

	it('fires on a leading "-", which ssh would take for an option', () => {
		assert.match(withUser('-oProxyCommand=sh').message, /option/);
	});

	it('fires on an empty name and on spaces', () => {
		withUser('');
		withUser('kube admin');
	});

	it('accepts ordinary user names', () => {
		for (const user of ['root', 'ubuntu', 'svc_kube-admin']) {
			silent('ssh-user', (draft) => {
				draft.ssh.user = user;
			});
		}
	});
});

describe('ssh-identity-file', () => {
	it('fires on a blank path', () => {
		fires('ssh-identity-file', (draft) => {
			draft.ssh.identityFile = '  ';
		});
	});

	it('accepts a private or public key path (an agent holds the private half)', () => {
		for (const identityFile of ['~/.ssh/id_ed25519', '~/.ssh/id_ed25519.pub']) {
			silent('ssh-identity-file', (draft) => {
				draft.ssh.identityFile = identityFile;
			});
		}
	});
});
